"""CAT XML articles (SemEval-2015 Task 4, MEANTIME): tokens back to an article, and words back to tokens.

A CAT file is a list of `<token number= sentence= t_id=>` elements: sentence 0 is the title and, in
the TimeLine corpora, sentence 1 the date line ("March 01 , 2008"), the document creation time.
`article` joins the tokens into text the way a page would print them (no space before a comma,
straight quotes for ``...'') and keeps each token's offsets, so that a fact's words in the analysed
Document can be named as the task names them: DOCID-SENTENCE-WORD.
"""

from __future__ import annotations

import bisect
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dateline.errors import DatelineError
from dateline.model import Document
from dateline.read import assemble

_NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", ")", "]", "}", "%", "''", "'", "...", "n't"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "#", "``", "£", "€"}
_CLITIC = re.compile(r"^'(s|S|ve|re|ll|d|m)$")
_PRINTED = {"``": '"', "''": '"', "`": "'", "-LRB-": "(", "-RRB-": ")"}


@dataclass(frozen=True)
class Token:
    sentence: int
    number: int
    text: str


@dataclass
class CatDocument:
    id: str
    name: str
    url: str | None
    tokens: list[Token]

    def sentence(self, n: int) -> list[Token]:
        return [t for t in self.tokens if t.sentence == n]


def read_cat(path: Path) -> CatDocument:
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise DatelineError(f"{path}: not a CAT XML file ({exc})") from None
    tokens = [
        Token(int(t.get("sentence", "0")), int(t.get("number", "0")), t.text or "")
        for t in root.iter("token")
    ]
    doc_id = root.get("doc_id") or path.name.split("_")[0].split("-")[0]
    return CatDocument(doc_id, root.get("doc_name") or path.stem, root.get("src_url"), tokens)


def creation_time(document: CatDocument) -> str | None:
    """The date line (sentence 1) as an ISO date, or None when it is not one."""
    line = " ".join(t.text for t in document.sentence(1) if t.text != ",")
    for fmt in ("%B %d %Y", "%b %d %Y"):
        try:
            return datetime.strptime(line, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _sentence_text(tokens: list[Token], at: int) -> tuple[str, list[tuple[int, int]]]:
    """Printed text of one sentence starting at offset `at`, and each token's (start, end)."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    open_quote = False
    glue_next = True
    for token in tokens:
        word = _PRINTED.get(token.text, token.text)
        plain_quote = token.text == '"'
        closing = token.text == "''" or (plain_quote and open_quote)
        opening = token.text == "``" or (plain_quote and not open_quote)
        if token.text in ('"', "``", "''"):
            open_quote = opening
        glue = glue_next or closing or token.text in _NO_SPACE_BEFORE or bool(_CLITIC.match(token.text))
        if parts and not glue:
            parts.append(" ")
            length += 1
        spans.append((at + length, at + length + len(word)))
        parts.append(word)
        length += len(word)
        glue_next = token.text in _NO_SPACE_AFTER or opening
    return "".join(parts), spans


@dataclass
class Article:
    """A CAT document read as an article: the Document to analyse and where each token landed."""

    document: Document
    cat: CatDocument
    offsets: list[tuple[int, int]]  # (start, end) in document.text, one per body token
    tokens: list[Token]

    def __post_init__(self) -> None:
        self._starts = [s for s, _ in self.offsets]

    def _index(self, start: int, end: int) -> int | None:
        i = bisect.bisect_right(self._starts, start) - 1
        return i if i >= 0 and start < self.offsets[i][1] and start < end else None

    def token_at(self, start: int, end: int) -> Token | None:
        """The token a span of the text starts in (a fact's trigger word), or None between tokens."""
        i = self._index(start, end)
        return self.tokens[i] if i is not None else None

    def event_id(self, start: int, end: int, particle: str | None = None) -> str | None:
        """DOCID-SENTENCE-WORD of the word at `start`; a phrasal verb's particle, when it follows
        within four words of the sentence, joins it as the task writes it ("showed_off")."""
        i = self._index(start, end)
        if i is None:
            return None
        token = self.tokens[i]
        word = token.text
        after = [t for t in self.tokens[i + 1 : i + 5] if t.sentence == token.sentence]
        if particle is not None and any(t.text.lower() == particle.lower() for t in after):
            word = f"{word}_{particle}"
        return f"{self.cat.id}-{token.sentence}-{word}"


def article(document: CatDocument, source: str | None = None) -> Article:
    """The article a CAT file holds: the title, then one paragraph per sentence (the date line is metadata)."""
    sentences = sorted({t.sentence for t in document.tokens} - {1})
    paragraphs: list[str] = []
    offsets: list[tuple[int, int]] = []
    tokens: list[Token] = []
    at = 0
    for n in sentences:
        words = document.sentence(n)
        text, spans = _sentence_text(words, at)
        if not text.strip():
            continue
        paragraphs.append(text)
        offsets += spans
        tokens += words
        at += len(text) + 2  # `assemble` joins paragraphs with a blank line
    title = paragraphs[0] if 0 in sentences and paragraphs else None
    built = assemble(
        paragraphs,
        source=source or document.name,
        title=title,
        published=creation_time(document),
        url=document.url,
    )
    for (start, end), token in zip(offsets, tokens, strict=True):
        if built.text[start:end] != _PRINTED.get(token.text, token.text):
            raise DatelineError(f"{document.name}: token {token} does not line up with the text")
    return Article(built, document, offsets, tokens)
