"""The `dateline_entities` component: spaCy's NER mentions grouped into one entity per referent.

Rules (general, no lists of particular names):

* Mentions come from spaCy's NER, restricted to `ENTITY_TYPES`.  A leading "the" and a trailing
  possessive are trimmed; "X-led"/"X-based" words and "X-Y" pairs ("U.S.-Iraq") are cut into
  their name parts.
* A person's title stands before the name ("U.S. President Joe Biden", "former U.S. President
  Donald Trump", "White House press secretary Jen Psaki"): the mention covers the title, the
  entity's `name` does not; the title goes into `Entity.title`.  Titles the small model put
  inside a non-person span turn the span into a person.
* Clustering within the article: a person's shorter names (surname, first name) join the
  fullest name that contains them (nearest preceding one when several do); other names join
  by normalised form or acronym ("U.S." = "United States").  A role description
  ("The Iraqi prime minister", "the minister") joins the last person whose title holds that role.
* Entity ids are "e1", "e2", ... in order of first mention, stable for a given text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc

from dateline.model import Document, Entity, Mention

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART")
_HYPHEN_SUFFIX = re.compile(
    r"^(?P<name>.+?)-(?:led|based|backed|born|owned|made|run|funded|brokered|allied|controlled|linked)$"
)
_DETERMINERS = {"the", "a", "an"}


def _lines(name: str) -> list[str]:
    text = resources.files("dateline.facts").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def titles() -> tuple[tuple[str, ...], ...]:
    """Titles as word tuples, longest first so that "prime minister" wins over "minister"."""
    return tuple(sorted((tuple(t.split()) for t in _lines("titles.txt")), key=len, reverse=True))


@cache
def _titles_by(position: int) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The titles by their first (0) or last (-1) word, longest first: a lookup, not a scan of all."""
    found: dict[str, list[tuple[str, ...]]] = {}
    for title in titles():
        found.setdefault(title[position], []).append(title)
    return {word: tuple(group) for word, group in found.items()}


def _title_from(lowers: list[str], start: int) -> tuple[str, ...] | None:
    """The longest title whose words begin at token `start`."""
    if start >= len(lowers):
        return None
    for title in _titles_by(0).get(lowers[start], ()):
        if tuple(lowers[start : start + len(title)]) == title:
            return title
    return None


@cache
def title_modifiers() -> frozenset[str]:
    return frozenset(_lines("title_modifiers.txt"))


@dataclass
class _Mention:
    start: int  # char offsets of the whole mention (title included)
    end: int
    name_start: int  # char offsets of the proper name alone
    name_end: int
    label: str
    title: str | None = None
    nominal: bool = False  # a role description, no proper name

    def name(self, text: str) -> str:
        return text[self.name_start : self.name_end]


@dataclass
class _Cluster:
    label: str
    mentions: list[_Mention] = field(default_factory=list)


def _title_at(lowers: list[str], end: int) -> int | None:
    """Start index of a title ending just before token `end`, or None."""
    if end <= 0:
        return None
    for title in _titles_by(-1).get(lowers[end - 1], ()):
        start = end - len(title)
        if start >= 0 and tuple(lowers[start:end]) == title:
            return start
    return None


def _extend_title(doc: Doc, lowers: list[str], start: int) -> int:
    """Leftmost token of the title (with its qualifiers) standing before a name at token `start`."""
    title_start = _title_at(lowers, start)
    if title_start is None:
        return start
    i = title_start
    while i > 0:
        prev = doc[i - 1]
        if lowers[i - 1] in title_modifiers() or (
            prev.dep_ == "compound"
            and prev.pos_ in ("NOUN", "PROPN")
            and prev.ent_iob_ == "O"
            and prev.head.i >= i
        ):
            # "former", "militia leader", "Transport Minister": qualifiers and nouns compounded onto the title
            i -= 1
        elif prev.ent_type_ in ("GPE", "NORP", "ORG") and prev.ent_iob_ != "O":
            # "U.S. President", "White House press secretary": the whole entity qualifies the title
            j = i - 1
            while j > 0 and doc[j].ent_iob_ == "I":
                j -= 1
            i = j
        elif (t := _title_at(lowers, i)) is not None:  # "President and CEO", stacked titles
            i = t
        else:
            break
    return i


def _strip_title_inside(lowers: list[str], start: int, end: int) -> int:
    """Index of the first name token of tokens start..end that begin with a title ("President Biden")."""
    i = start
    while i < end - 1:
        if lowers[i] in title_modifiers():
            i += 1
            continue
        # the longest title here that leaves a name after it
        title = next(
            (
                t
                for t in _titles_by(0).get(lowers[i], ())
                if i + len(t) < end and tuple(lowers[i : i + len(t)]) == t
            ),
            None,
        )
        if title is None:
            break
        i += len(title)
    return i


def _name_mentions(doc: Doc, text: str, lowers: list[str], types: set[str]) -> list[_Mention]:
    found: list[_Mention] = []
    for ent in doc.ents:
        if ent.label_ not in types:
            continue
        # the mention keeps a leading "the" as written ("the United States"); the name does not
        first, start_tok, end_tok = ent.start, ent.start, ent.end
        while start_tok < end_tok and lowers[start_tok] in _DETERMINERS:
            start_tok += 1
        while end_tok > start_tok and doc[end_tok - 1].tag_ == "POS":
            end_tok -= 1
        if start_tok >= end_tok:
            continue
        label = ent.label_
        # only a person span sheds a title inside it: "General Motors" is a company
        name_tok = _strip_title_inside(lowers, start_tok, end_tok) if label == "PERSON" else start_tok
        if (
            label in ("ORG", "GPE", "NORP")
            and _title_at(lowers, start_tok) is not None
            and all(t.pos_ == "PROPN" for t in doc[start_tok:end_tok])
        ):
            label = "PERSON"  # a title-cased role before capitalised words names a person
        mention_start = _extend_title(doc, lowers, name_tok) if label == "PERSON" else first
        name_start, name_end = doc[name_tok].idx, doc[end_tok - 1].idx + len(doc[end_tok - 1])
        start = doc[mention_start].idx
        title = text[start:name_start].strip() or None
        if title and title.lower() in _DETERMINERS:
            title = None
        found.append(_Mention(start, name_end, name_start, name_end, label, title))
    return _split_hyphens(doc, text, found)


def _split_hyphens(doc: Doc, text: str, mentions: list[_Mention]) -> list[_Mention]:
    """Cut "U.S.-Iraq" into two names, "U.S.-led" to its name; add such words spaCy missed."""
    known = {_norm(m.name(text)): m.label for m in mentions if "-" not in m.name(text)}
    out: list[_Mention] = []
    covered: set[int] = set()
    for m in mentions:
        name = m.name(text)
        covered.update(range(m.start, m.end))
        parts = _hyphen_parts(name, known)
        if parts is None or m.title:
            out.append(m)
            continue
        for offset, part in parts:
            s = m.name_start + offset
            out.append(_Mention(s, s + len(part), s, s + len(part), known.get(_norm(part), m.label)))
    for token in doc:
        if token.idx in covered or "-" not in token.text or not token.text[:1].isupper():
            continue
        parts = _hyphen_parts(token.text, known)
        for offset, part in parts or []:
            if _norm(part) in known:
                s = token.idx + offset
                out.append(_Mention(s, s + len(part), s, s + len(part), known[_norm(part)]))
    return sorted(out, key=lambda m: (m.start, -m.end))


# what may follow a comma inside one name: "Apple, Inc.", "Martin Luther King, Jr."
_NAME_SUFFIXES = frozenset(
    [
        "inc",
        "inc.",
        "ltd",
        "ltd.",
        "llc",
        "llp",
        "lp",
        "l.p.",
        "co",
        "co.",
        "corp",
        "corp.",
        "plc",
        "s.a.",
        "ag",
        "n.v.",
        "gmbh",
        "jr",
        "jr.",
        "sr",
        "sr.",
        "ii",
        "iii",
        "iv",
    ]
)


def _split_lists(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """Cut a name span that is a list ("CBS All Access, Disney") into its names, one mention each.

    A comma inside an ORG, PERSON or PRODUCT span separates names when every part is capitalised
    and none is a suffix of the name before it; places keep theirs ("Springfield, Illinois").
    """
    out: list[_Mention] = []
    for m in mentions:
        name = m.name(text)
        parts = [(match.start(), match.group()) for match in re.finditer(r"[^,]+", name)]
        parts = [(offset + len(p) - len(p.lstrip()), p.strip()) for offset, p in parts]
        if (
            m.label not in ("ORG", "PERSON", "PRODUCT")
            or m.title
            or len(parts) < 2
            or any(not p[:1].isupper() or p.lower() in _NAME_SUFFIXES for _, p in parts)
        ):
            out.append(m)
            continue
        for offset, part in parts:
            start = m.name_start + offset
            out.append(_Mention(start, start + len(part), start, start + len(part), m.label))
    return out


def _hyphen_parts(name: str, known: dict[str, str]) -> list[tuple[int, str]] | None:
    if match := _HYPHEN_SUFFIX.match(name):
        return [(0, match.group("name"))]
    if "-" not in name or " " in name:
        return None
    pieces, offset, parts = name.split("-"), 0, []
    for piece in pieces:
        parts.append((offset, piece))
        offset += len(piece) + 1
    # only a pair of names seen elsewhere is split: "al-Kadhimi", "Coca-Cola" stay whole
    if all(_norm(p) in known or _norm(_strip_adjective(p)) in known for _, p in parts):
        return parts
    return None


def _strip_adjective(word: str) -> str:
    """ "Iraqi" -> "Iraq": lets "U.S.-Iraqi" split when "Iraq" is named in the article."""
    return word[:-1] if word.endswith("i") else word


def _norm(name: str) -> str:
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.I)
    return re.sub(r"[.\s]+", " ", name.replace("’", "'")).strip().lower().replace(" ", "")


def _acronym(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", re.sub(r"^the\s+", "", name, flags=re.I)) if w[:1].isupper()]
    return "".join(w[0] for w in words).lower() if len(words) > 1 else ""


def _cluster(text: str, mentions: list[_Mention]) -> list[_Cluster]:
    clusters: list[_Cluster] = []
    by_key: dict[str, _Cluster] = {}
    persons: list[tuple[list[str], _Cluster]] = []  # name words of each person cluster
    # Lookups kept as clusters grow, so that each mention costs about the same however long the
    # article: the person clusters by each of their words; for each acronym, the oldest cluster
    # with it; the start of every mention of each cluster, in order.
    persons_by_word: dict[str, list[int]] = {}
    by_acronym: dict[str, _Cluster] = {}
    acronym_of: dict[int, str] = {}
    starts: dict[int, list[int]] = {}
    order: dict[int, int] = {}  # creation order
    other_names: dict[str, int] = {}  # word -> how many non-person names hold it
    for x in mentions:
        if x.label != "PERSON":
            for word in dict.fromkeys(x.name(text).split()):  # each name counts once
                other_names[word] = other_names.get(word, 0) + 1
    # fullest names first, so that a surname can find the full name even when it comes first
    for m in sorted(mentions, key=lambda m: -len(m.name(text).split())):
        name = m.name(text)
        words = name.split()
        key = _norm(name)
        target: _Cluster | None = by_key.get(key)
        if target is None and (m.label == "PERSON" or len(words) == 1):
            pool = persons_by_word.get(words[0], []) if words else range(len(persons))
            candidates = [persons[i][1] for i in pool if _contained(words, persons[i][0])]
            if m.label != "PERSON":
                # the small model often types a lone surname as ORG or GPE; but a word that also
                # opens a non-person name ("Ford" beside "Ford Motor Company") stays what it was
                in_names = other_names.get(name, 0) - (name in words) > 0
                candidates = [c for c in candidates if len(words) == 1 and not in_names]
            if len(candidates) > 1:
                target = _nearest(candidates, m, starts)
            elif candidates:
                target = candidates[0]
        if target is None and m.label != "PERSON":
            acronym = key if len(words) == 1 else _acronym(name)
            target = by_key.get(acronym) or (by_acronym.get(acronym) if acronym else None)
        if target is None:
            target = _Cluster(m.label)
            order[id(target)] = len(clusters)
            clusters.append(target)
            if m.label == "PERSON":
                for word in dict.fromkeys(words):
                    persons_by_word.setdefault(word, []).append(len(persons))
                persons.append((words, target))
        target.mentions.append(m)
        bisect.insort(starts.setdefault(id(target), []), m.start)
        if not acronym_of.get(id(target)) and (acronym := _acronym(name)):
            # a cluster's acronym is that of its first mention to have one; the oldest cluster wins
            acronym_of[id(target)] = acronym
            held = by_acronym.get(acronym)
            if held is None or order[id(held)] > order[id(target)]:
                by_acronym[acronym] = target
        by_key.setdefault(key, target)
    return clusters


def _contained(short: list[str], full: list[str]) -> bool:
    return len(short) < len(full) and all(w in full for w in short)


def _nearest(candidates: list[_Cluster], m: _Mention, starts: dict[int, list[int]]) -> _Cluster:
    """The cluster mentioned last before `m`; else the one mentioned first after it."""

    def distance(c: _Cluster) -> int:
        at = starts[id(c)]
        before = bisect.bisect_right(at, m.start)
        return m.start - at[before - 1] if before else 10**9 + at[0]

    return min(candidates, key=distance)


def _link_roles(doc: Doc, lowers: list[str], clusters: list[_Cluster]) -> None:
    """Attach "the Iraqi prime minister" to the last person whose title holds that role."""
    taken = {i for c in clusters for m in c.mentions for i in range(m.start, m.end)}
    owners = _RoleOwners(clusters)
    for i, token in enumerate(doc):
        if lowers[i] != "the" or token.idx in taken:
            continue
        j = i + 1
        qualifiers: list[str] = []
        while j < len(lowers) and (doc[j].ent_type_ in ("NORP", "GPE") or lowers[j] in title_modifiers()):
            qualifiers.append(lowers[j])
            j += 1
        role = next(
            (
                t
                for t in (_titles_by(0).get(lowers[j], ()) if j < len(lowers) else ())
                if tuple(lowers[j : j + len(t)]) == t and "." not in t[-1]
            ),
            None,
        )
        if role is None:
            continue
        end = j + len(role)
        # a role followed by a name is a title, handled with the name; a role in a larger noun
        # phrase ("the president's office" is fine, "the minister of state" is not the person)
        if end < len(lowers) and (doc[end].pos_ == "PROPN" or lowers[end] == "of"):
            continue
        last = doc[end - 1]
        start_char, end_char = token.idx, last.idx + len(last)
        owner = owners.find(start_char, " ".join(role), qualifiers)
        if owner is not None:
            owner.mentions.append(
                _Mention(start_char, end_char, start_char, end_char, "PERSON", nominal=True)
            )


class _RoleOwners:
    """The titled mentions of person clusters, by role: who "the minister" at a place refers to."""

    def __init__(self, clusters: list[_Cluster]) -> None:
        # in the order they are met, so that of two mentions at one place the first met wins
        self.titled = [
            (m.start, (m.title or "").lower(), c)
            for c in clusters
            if c.label == "PERSON"
            for m in c.mentions
            if m.title
        ]
        self.by_role: dict[str, tuple[list[int], list[tuple[int, str, _Cluster]]]] = {}

    def find(self, at: int, role: str, qualifiers: list[str]) -> _Cluster | None:
        """The person whose titled mention holding `role` (and the qualifiers) comes last before `at`."""
        if role not in self.by_role:
            pattern = re.compile(rf"\b{re.escape(role)}\b")
            held = sorted(
                (
                    (start, -n, title, c)
                    for n, (start, title, c) in enumerate(self.titled)
                    if pattern.search(title)
                ),
                key=lambda item: item[:2],
            )
            self.by_role[role] = ([h[0] for h in held], [(h[0], h[2], h[3]) for h in held])
        starts, held_by = self.by_role[role]
        wanted = [q for q in qualifiers if q not in title_modifiers()]
        for _start, title, cluster in reversed(held_by[: bisect.bisect_left(starts, at)]):
            if all(q in title for q in wanted):
                return cluster
        return None


def _to_entities(text: str, clusters: list[_Cluster]) -> list[Entity]:
    clusters = [c for c in clusters if c.mentions]
    clusters.sort(key=lambda c: min(m.start for m in c.mentions))
    entities: list[Entity] = []
    for n, c in enumerate(clusters, 1):
        mentions = sorted(c.mentions, key=lambda m: (m.start, m.end))
        names = [m.name(text) for m in mentions if not m.nominal]
        labels = [m.label for m in mentions if not m.nominal]
        label = "PERSON" if "PERSON" in labels else _most_common(labels)
        name = max(names, key=lambda s: (len(s.split()), len(s)))
        titled = [m.title for m in mentions if m.title]
        aliases = list(dict.fromkeys(s for s in names if s != name))
        aliases += [text[m.start : m.end] for m in mentions if m.nominal]
        entities.append(
            Entity(
                id=f"e{n}",
                name=name,
                type=label,
                mentions=[Mention(m.start, m.end, text[m.start : m.end]) for m in mentions],
                title=max(titled, key=len) if titled else None,
                aliases=list(dict.fromkeys(aliases)),
            )
        )
    return entities


def _most_common(labels: list[str]) -> str:
    """The label given most often; of labels given equally often, the first mention's."""
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    most = max(counts.values())
    return next(label for label in labels if counts[label] == most)


def _propagate_surnames(doc: Doc, text: str, clusters: list[_Cluster]) -> None:
    """A person's surname that NER missed elsewhere in the article is still that person ("Ruto thanked")."""
    taken = {i for c in clusters for m in c.mentions for i in range(m.start, m.end)}
    surnames: dict[str, _Cluster] = {}
    for c in clusters:
        if c.label == "PERSON":
            for m in c.mentions:
                words = m.name(text).split()
                if len(words) > 1 and not m.nominal:
                    surnames.setdefault(words[-1], c)
    for token in doc:
        owner = surnames.get(token.text)
        if owner is not None and token.idx not in taken and token.pos_ == "PROPN":
            end = token.idx + len(token)
            owner.mentions.append(_Mention(token.idx, end, token.idx, end, "PERSON"))


def extract(doc: Doc, types: set[str] | None = None, link_roles: bool = True) -> list[Entity]:
    # read once: a Doc rebuilds its text on every access, and walking it creates every Token
    text = doc.text
    lowers = [t.lower_ for t in doc]
    clusters = _cluster(
        text, _split_lists(text, _name_mentions(doc, text, lowers, types or set(ENTITY_TYPES)))
    )
    _propagate_surnames(doc, text, clusters)
    if link_roles:
        _link_roles(doc, lowers, clusters)
    return _to_entities(text, clusters)


class EntityComponent:
    def __init__(self, types: list[str], link_roles: bool) -> None:
        self.types = set(types)
        self.link_roles = link_roles

    def __call__(self, doc: Doc) -> Doc:
        if doc._.facts is None:
            doc._.facts = {}
        doc._.facts["entities"] = extract(doc, self.types, self.link_roles)
        return doc


@Language.factory(
    "dateline_entities",
    default_config={"types": list(ENTITY_TYPES), "link_roles": True},
)
def make_entities(nlp: Language, name: str, types: list[str], link_roles: bool) -> EntityComponent:
    return EntityComponent(types, link_roles)


def entity_at(document: Document, start: int, end: int) -> Entity | None:
    """The entity with a mention overlapping text[start:end]; the largest overlap wins, then a person."""
    best: tuple[int, int, Entity] | None = None
    for entity in document.entities:
        for m in entity.mentions:
            overlap = min(end, m.end) - max(start, m.start)
            if overlap > 0 or (start == end and m.start <= start < m.end):
                rank = (overlap, entity.type == "PERSON")
                if best is None or rank > best[:2]:
                    best = (rank[0], int(rank[1]), entity)
    return best[2] if best else None
