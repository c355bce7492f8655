"""Claim sets for `dateline eval check`: a folder with `claims.jsonl` and `articles/`.

One claim a line: `{"claim", "as_of", "label", "evidence": [{"document", "start", "end"}]}`, plus
`id`, `kind` (how the claim was made from a reported fact: restatement, paraphrase, speaker, number,
date, modality, negation, swap, scope, unrelated), `split` (tune or heldout) and `article` (the file the
claim was written from).  `label` is supported, contradicted or not_enough_info.  `evidence.document`
names a file of `articles/`; `start`/`end` are offsets into the text Dateline's read stage makes of it,
and an optional `text` holds those words, so that a change of the read stage is noticed.

Articles that may not be copied into a claim set are named in `external.tsv` instead
(`NAME<TAB>PATH`, PATH under the gold data folder, `../shared/data`): the evaluation builds them at
run time.  The shipped set uses this for the MEANTIME Wikinews articles (CC BY 4.0).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from dateline.errors import DatelineError
from dateline.eval.time import _NO_SPACE_AFTER, _NO_SPACE_BEFORE

LABELS = ("supported", "contradicted", "not_enough_info")
SHIPPED = Path(__file__).parent / "data" / "claims"

# MEANTIME writes quotation marks as PTB tokens
_PTB = {"``": "“", "''": "”", "-LRB-": "(", "-RRB-": ")"}


@dataclass(frozen=True)
class Evidence:
    document: str
    start: int
    end: int
    text: str | None = None


@dataclass
class Claim:
    id: str
    claim: str
    as_of: str | None
    label: str
    kind: str = "unknown"
    split: str = "tune"
    article: str | None = None
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def documents(self) -> list[str]:
        """The articles the claim was written from and its evidence lies in."""
        named = [self.article] if self.article else []
        return list(dict.fromkeys([*named, *(e.document for e in self.evidence)]))


def load_claims(path: Path) -> list[Claim]:
    """Read `claims.jsonl`; a malformed line is an error naming the line."""
    claims: list[Claim] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            label = raw["label"]
            if label not in LABELS:
                raise ValueError(f"label {label!r} is not one of {', '.join(LABELS)}")
            claims.append(
                Claim(
                    id=str(raw.get("id") or f"line-{number}"),
                    claim=str(raw["claim"]),
                    as_of=raw.get("as_of"),
                    label=label,
                    kind=str(raw.get("kind") or "unknown"),
                    split=str(raw.get("split") or "tune"),
                    article=raw.get("article"),
                    evidence=[
                        Evidence(str(e["document"]), int(e["start"]), int(e["end"]), e.get("text"))
                        for e in raw.get("evidence") or []
                    ],
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise DatelineError(f"{path}:{number}: not a claim ({exc})") from None
    return claims


def meantime_page(path: Path) -> str:
    """A MEANTIME article as the plain-text page it was: title, date line, then its sentences.

    MEANTIME keeps tokens only.  Sentences are joined into paragraphs where a quotation runs on,
    and each other sentence is a paragraph of its own (the corpus does not keep paragraph breaks).
    """
    root = ET.parse(path).getroot()
    sentences: dict[int, list[str]] = {}
    for token in root.iter("token"):
        sentences.setdefault(int(token.get("sentence", "0")), []).append(token.text or "")
    lines = [_detokenize(sentences[n]) for n in sorted(sentences)]
    paragraphs: list[str] = []
    current: list[str] = []
    open_quotes = 0
    for sentence in lines[2:]:
        current.append(sentence)
        open_quotes += sentence.count("“") - sentence.count("”")
        if open_quotes <= 0:
            paragraphs.append(" ".join(current))
            current, open_quotes = [], 0
    if current:
        paragraphs.append(" ".join(current))
    head = lines[:2] if len(lines) > 1 else [*lines, ""]
    return "\n".join(head) + "\n\n" + "\n\n".join(paragraphs) + "\n"


def _detokenize(tokens: list[str]) -> str:
    out: list[str] = []
    previous: str | None = None
    for raw in tokens:
        word = _PTB.get(raw, raw)
        glued = (
            word in _NO_SPACE_BEFORE or word == "”" or previous in _NO_SPACE_AFTER or previous in ("“", "(")
        )
        if previous is not None and not glued:
            out.append(" ")
        out.append(word)
        previous = word
    return "".join(out)


def external_articles(folder: Path) -> dict[str, str]:
    """`external.tsv` of a claim set: article name -> path under the gold data folder."""
    path = folder / "external.tsv"
    if not path.exists():
        return {}
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, where = line.partition("\t")
            found[name.strip()] = where.strip()
    return found


def materialize(folder: Path, gold: Path | None, into: Path) -> dict[str, str]:
    """Write the external articles of a claim set into `into`; returns {name: why not} for those missing."""
    missing: dict[str, str] = {}
    for name, where in external_articles(folder).items():
        source = gold / where if gold is not None else None
        if source is None or not source.is_file():
            missing[name] = f"{where} not found under {gold}" if gold else "no gold data folder"
            continue
        (into / name).write_text(meantime_page(source), encoding="utf-8")
    return missing
