"""Author names from bylines: people only, each once, without the words around them.

A byline as pages give it carries more than names: "By", "view all posts by",
roles ("Staff Writer", "Rechtsanwalt"), a bio fragment, a reading time, the
newsroom or agency ("Redacción El Comercio", "EFE"), the site itself, or an
account name ("wordpressadmin").  `split_byline` cuts a byline into name-shaped
parts and says of each whether it is a person or an organisation; what is
neither is dropped.  The word lists are in `data/byline_words.txt`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

NameKind = Literal["person", "organization"]

_SEPARATORS = re.compile(r"\s*(?:[;,|/·•&+]|\s(?:and|und|y|e|et|en|och|og|i|és|und von)\s)\s*", re.I)
_WORD = re.compile(r"[^\W\d_][\w'’.-]*", re.U)
_LABEL = re.compile(r"^[^:]{1,40}:\s*")
_DIGIT = re.compile(r"\d")
_EMAIL_OR_URL = re.compile(r"@|https?:|www\.|\.(?:com|de|net|org|es|fr|it|cl|pe|br|uk)\b", re.I)
_BRACKETS = re.compile(r"\s*[(\[].*?[)\]]")
# Words that come before the names and are never inside one (unlike "von", "de", "di").
_BY = frozenset({"by", "By", "por", "par", "door", "przez"})
# A byline line has at most this many words.
BYLINE_LINE_WORDS = 10
# A person's name has this many words at most (particles and initials included).
MAX_NAME_WORDS = 5
# Name particles written in lower case ("Ludwig van Beethoven", "Juan de la Cruz").
PARTICLES = frozenset(
    ["von", "van", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la", "le", "ten", "ter", "zu", "bin", "al", "el", "y", "e"]
)  # fmt: skip


@dataclass(frozen=True)
class Name:
    text: str
    kind: NameKind


@cache
def _table() -> dict[str, frozenset[str]]:
    """Sections of data/byline_words.txt: `[section]` lines, then one lower-case word or phrase a line."""
    raw = resources.files("dateline.read").joinpath("data", "byline_words.txt").read_text(encoding="utf-8")
    sections: dict[str, set[str]] = {}
    current = ""
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections[current] = set()
        elif line:
            sections[current].add(line.casefold())
    return {name: frozenset(words) for name, words in sections.items()}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _plain(text: str) -> str:
    """Letters and digits only, without accents: "La República" → "larepublica"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def _strip_lead(text: str) -> str:
    """Drop "By", "view all posts by", "Autor:", "Text und Fotos:" and the like before the names."""
    text = _BRACKETS.sub("", text).strip(" \t-–—:|·•*")
    for _ in range(3):
        before = text
        label = _LABEL.match(text)
        if label and len(label.group(0).split()) <= 4:
            text = text[label.end() :]
        words = text.split()
        lead = _table()["lead"]
        for n in range(min(6, len(words)), 0, -1):
            if _fold(" ".join(words[:n])) in lead:
                text = " ".join(words[n:])
                break
        # "Revised Edition Edited by Adrian Parr": the names follow "by" (never part of a name)
        words = text.split()
        cut = next((i for i, w in enumerate(words[:6]) if w in _BY), None)
        if cut is not None:
            text = " ".join(words[cut + 1 :])
        text = text.strip(" \t-–—:|·•*")
        if text == before:
            break
    return text


def _name_words(part: str) -> list[str]:
    """The name at the start of a part, stopping at the first word a name cannot hold."""
    kept: list[str] = []
    for word in part.split():
        bare = word.strip(".,;:!?\"'“”‘’()[]")
        if not bare:
            break
        folded = _fold(bare)
        if folded in _table()["stop"]:
            break
        if _DIGIT.search(bare) or not _WORD.fullmatch(bare):
            break
        if not (bare[0].isupper() or not bare[0].isalpha() or folded in PARTICLES or _uncased(bare)):
            break
        # initials and abbreviated titles keep their full stop ("J.", "Dr.")
        kept.append(f"{bare}." if len(bare) <= 3 and word.rstrip(",;:").endswith(".") else bare)
    while kept and _fold(kept[-1]) in PARTICLES:
        kept.pop()
    return kept


def _uncased(word: str) -> bool:
    """Scripts without letter case (CJK, Arabic, Hebrew, Thai ...): capitals say nothing there."""
    return word[0].isalpha() and word[0].lower() == word[0].upper()


def _is_organization(words: list[str], sites: Iterable[str]) -> bool:
    folded = [_fold(w).strip(".") for w in words]
    organization = _table()["organization"]
    if any(w in organization for w in folded):
        return True
    joined = _plain("".join(words))
    if any(joined and (joined in site or site in joined) for site in sites if len(site) >= 4):
        return True
    # an acronym alone ("EFE", "AFP", "DPA") is an agency, not a person
    return len(words) == 1 and words[0].isupper() and len(words[0]) <= 6


def _site_keys(sites: Iterable[str]) -> list[str]:
    """Site names and domains reduced to letters ("heizung.de" → "heizungde", "heizung")."""
    keys: set[str] = set()
    for site in sites:
        keys.add(_plain(site))
        host = _fold(site).removeprefix("www.")
        if "." in host and " " not in host:
            keys.add(_plain(host.split(".")[0]))
    return sorted(k for k in keys if k)


def split_byline(byline: str, sites: Iterable[str] = ()) -> list[Name]:
    """The people and organisations a byline names, in order, each once."""
    site_keys = _site_keys(sites)
    names: list[Name] = []
    seen: set[str] = set()
    if _EMAIL_OR_URL.search(byline) and " " not in byline.strip():
        return []
    for raw_part in _SEPARATORS.split(_strip_lead(byline)):
        part = _strip_lead(raw_part)
        if not part or (_EMAIL_OR_URL.search(part) and len(part.split()) == 1):
            continue
        words = [w for w in _name_words(part) if _fold(w.strip(".")) not in _table()["role"]]
        if not words:
            continue
        text = " ".join(words)
        key = " ".join(_fold(w) for w in words)
        if key in seen:
            continue
        if _is_organization(words, site_keys) or _is_site(text, site_keys):
            kind: NameKind = "organization"
        elif _is_person(words) and not _holds_site(words, site_keys):
            kind = "person"
        else:
            continue
        seen.add(key)
        names.append(Name(text, kind))
    return names


def _is_site(text: str, site_keys: list[str]) -> bool:
    key = _plain(text)
    return bool(key) and any(key == site or (len(key) >= 5 and key in site) for site in site_keys)


def _holds_site(words: list[str], site_keys: list[str]) -> bool:
    """A name with the site's name in one of its words ("Credaris-Kundin A.K."): a label of the site, not a byline."""
    return any(len(site) >= 5 and site in _plain(word) for word in words for site in site_keys)


def _is_person(words: list[str]) -> bool:
    """Two to five name words, not an account ("wordpressadmin") nor a generic label ("Super User")."""
    if not 2 <= len(words) <= MAX_NAME_WORDS:
        return False
    folded = {_fold(w).strip(".") for w in words}
    if folded & _table()["account"]:
        return False
    # initials alone are not a name: at least one word of two letters or more
    return any(len(w.strip(".")) >= 2 for w in words if _fold(w) not in PARTICLES)


def opens_byline(line: str) -> bool:
    """Whether a line opens with a byline's lead words ("By", "von", "Autor:", "Zeige alle Beiträge von")."""
    words = line.split()[:5]
    lead = _table()["lead"]
    return any(_fold(" ".join(words[:n])).rstrip(":") in lead for n in range(1, len(words) + 1))


def is_byline(line: str) -> bool:
    """A short line that opens like a byline ("By ...", "von ...", "Autor: ...") and names someone."""
    words = line.split()
    if not 2 <= len(words) <= BYLINE_LINE_WORDS:
        return False
    return opens_byline(" ".join(words[:-1])) and any(name.kind == "person" for name in split_byline(line))


def people(bylines: Iterable[str], sites: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """The persons and the organisations named by some bylines, each once, in order."""
    persons: list[str] = []
    organizations: list[str] = []
    seen: set[str] = set()
    for byline in bylines:
        for name in split_byline(byline, sites):
            key = _fold(name.text)
            if key not in seen:
                seen.add(key)
                (persons if name.kind == "person" else organizations).append(name.text)
    return persons, organizations
