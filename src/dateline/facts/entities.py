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

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

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


def _title_at(tokens: list[Token], end: int) -> int | None:
    """Start index of a title ending just before token `end`, or None."""
    for title in titles():
        start = end - len(title)
        if start >= 0 and tuple(t.lower_ for t in tokens[start:end]) == title:
            return start
    return None


def _extend_title(doc: Doc, start: int) -> int:
    """Leftmost token of the title (with its qualifiers) standing before a name at token `start`."""
    tokens = list(doc)
    title_start = _title_at(tokens, start)
    if title_start is None:
        return start
    i = title_start
    while i > 0:
        prev = tokens[i - 1]
        if prev.lower_ in title_modifiers() or (
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
            while j > 0 and tokens[j].ent_iob_ == "I":
                j -= 1
            i = j
        elif (t := _title_at(tokens, i)) is not None:  # "President and CEO", stacked titles
            i = t
        else:
            break
    return i


def _strip_title_inside(span: Span) -> int:
    """Index of the first name token of a span that begins with a title ("President Biden")."""
    i = span.start
    while i < span.end - 1:
        t = span.doc[i]
        if t.lower_ in title_modifiers():
            i += 1
            continue
        for title in titles():
            stop = i + len(title)
            if stop < span.end and tuple(x.lower_ for x in span.doc[i:stop]) == title:
                i = stop
                break
        else:
            break
    return i


def _name_mentions(doc: Doc, types: set[str]) -> list[_Mention]:
    text = doc.text
    found: list[_Mention] = []
    for ent in doc.ents:
        if ent.label_ not in types:
            continue
        # the mention keeps a leading "the" as written ("the United States"); the name does not
        first, start_tok, end_tok = ent.start, ent.start, ent.end
        while start_tok < end_tok and doc[start_tok].lower_ in _DETERMINERS:
            start_tok += 1
        while end_tok > start_tok and doc[end_tok - 1].tag_ == "POS":
            end_tok -= 1
        if start_tok >= end_tok:
            continue
        label = ent.label_
        # only a person span sheds a title inside it: "General Motors" is a company
        name_tok = _strip_title_inside(doc[start_tok:end_tok]) if label == "PERSON" else start_tok
        if (
            label in ("ORG", "GPE", "NORP")
            and _title_at(list(doc), start_tok) is not None
            and all(t.pos_ == "PROPN" for t in doc[start_tok:end_tok])
        ):
            label = "PERSON"  # a title-cased role before capitalised words names a person
        mention_start = _extend_title(doc, name_tok) if label == "PERSON" else first
        name_start, name_end = doc[name_tok].idx, doc[end_tok - 1].idx + len(doc[end_tok - 1])
        start = doc[mention_start].idx
        title = text[start:name_start].strip() or None
        if title and title.lower() in _DETERMINERS:
            title = None
        found.append(_Mention(start, name_end, name_start, name_end, label, title))
    return _split_hyphens(doc, found)


def _split_hyphens(doc: Doc, mentions: list[_Mention]) -> list[_Mention]:
    """Cut "U.S.-Iraq" into two names, "U.S.-led" to its name; add such words spaCy missed."""
    text = doc.text  # a Doc rebuilds its text on every access
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
    # fullest names first, so that a surname can find the full name even when it comes first
    for m in sorted(mentions, key=lambda m: -len(m.name(text).split())):
        name = m.name(text)
        words = name.split()
        key = _norm(name)
        target: _Cluster | None = by_key.get(key)
        if target is None and (m.label == "PERSON" or len(words) == 1):
            candidates = [c for w, c in persons if _contained(words, w)]
            if m.label != "PERSON":
                # the small model often types a lone surname as ORG or GPE; but a word that also
                # opens a non-person name ("Ford" beside "Ford Motor Company") stays what it was
                in_names = any(
                    name in x.name(text).split() and x.label != "PERSON" and x is not m for x in mentions
                )
                candidates = [c for c in candidates if len(words) == 1 and not in_names]
            if candidates:
                target = _nearest(candidates, m)
        if target is None and m.label != "PERSON":
            acronym = key if len(words) == 1 else _acronym(name)
            target = by_key.get(acronym) or next(
                (c for k, c in by_key.items() if acronym and _acronym_of(c, text) == acronym), None
            )
        if target is None:
            target = _Cluster(m.label)
            clusters.append(target)
            if m.label == "PERSON":
                persons.append((words, target))
        target.mentions.append(m)
        by_key.setdefault(key, target)
    return clusters


def _contained(short: list[str], full: list[str]) -> bool:
    return len(short) < len(full) and all(w in full for w in short)


def _nearest(candidates: list[_Cluster], m: _Mention) -> _Cluster:
    def distance(c: _Cluster) -> int:
        before = [x.start for x in c.mentions if x.start <= m.start]
        return m.start - max(before) if before else 10**9 + min(x.start for x in c.mentions)

    return min(candidates, key=distance)


def _acronym_of(cluster: _Cluster, text: str) -> str:
    return next((a for x in cluster.mentions if (a := _acronym(x.name(text)))), "")


def _link_roles(doc: Doc, clusters: list[_Cluster]) -> None:
    """Attach "the Iraqi prime minister" to the last person whose title holds that role."""
    tokens = list(doc)
    taken = {i for c in clusters for m in c.mentions for i in range(m.start, m.end)}
    for i, token in enumerate(tokens):
        if token.lower_ != "the" or token.idx in taken:
            continue
        j = i + 1
        qualifiers: list[str] = []
        while j < len(tokens) and (
            tokens[j].ent_type_ in ("NORP", "GPE") or tokens[j].lower_ in title_modifiers()
        ):
            qualifiers.append(tokens[j].lower_)
            j += 1
        role = next(
            (
                t
                for t in titles()
                if tuple(x.lower_ for x in tokens[j : j + len(t)]) == t and "." not in t[-1]
            ),
            None,
        )
        if role is None:
            continue
        end = j + len(role)
        # a role followed by a name is a title, handled with the name; a role in a larger noun
        # phrase ("the president's office" is fine, "the minister of state" is not the person)
        if end < len(tokens) and (tokens[end].pos_ == "PROPN" or tokens[end].lower_ == "of"):
            continue
        start_char, end_char = token.idx, tokens[end - 1].idx + len(tokens[end - 1])
        owner = _role_owner(clusters, start_char, " ".join(role), qualifiers)
        if owner is not None:
            owner.mentions.append(
                _Mention(start_char, end_char, start_char, end_char, "PERSON", nominal=True)
            )


def _role_owner(clusters: list[_Cluster], at: int, role: str, qualifiers: list[str]) -> _Cluster | None:
    best: tuple[int, _Cluster] | None = None
    for c in clusters:
        if c.label != "PERSON":
            continue
        for m in c.mentions:
            title = (m.title or "").lower()
            if m.start >= at or not re.search(rf"\b{re.escape(role)}\b", title):
                continue
            if any(q not in title for q in qualifiers if q not in title_modifiers()):
                continue
            if best is None or m.start > best[0]:
                best = (m.start, c)
    return best[1] if best else None


def _to_entities(text: str, clusters: list[_Cluster]) -> list[Entity]:
    clusters = [c for c in clusters if c.mentions]
    clusters.sort(key=lambda c: min(m.start for m in c.mentions))
    entities: list[Entity] = []
    for n, c in enumerate(clusters, 1):
        mentions = sorted(c.mentions, key=lambda m: (m.start, m.end))
        names = [m.name(text) for m in mentions if not m.nominal]
        labels = [m.label for m in mentions if not m.nominal]
        label = "PERSON" if "PERSON" in labels else max(set(labels), key=labels.count)
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


def _propagate_surnames(doc: Doc, clusters: list[_Cluster]) -> None:
    """A person's surname that NER missed elsewhere in the article is still that person ("Ruto thanked")."""
    taken = {i for c in clusters for m in c.mentions for i in range(m.start, m.end)}
    surnames: dict[str, _Cluster] = {}
    text = doc.text
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
    text = doc.text
    clusters = _cluster(text, _split_lists(text, _name_mentions(doc, types or set(ENTITY_TYPES))))
    _propagate_surnames(doc, clusters)
    if link_roles:
        _link_roles(doc, clusters)
    return _to_entities(doc.text, clusters)


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
