"""Cross-document entities: one corpus entity per referent, whatever each article calls it.

Names are compared as normalized keys (folded case and accents, honorifics
and middle initials dropped, "Jr." and possessives removed).  Within a type,
keys that an article gives as aliases of one entity are joined; a one-word
name ("Biden", "President Biden") joins the one longer name of its type that
ends in it ("Joe Biden"); when several do ("Joe Biden", "Hunter Biden"), each
article's mention goes to the one whose articles share most of its other
entities, and stays apart on a tie.
An acronym joins the one name of its type whose initials it spells; an all-capitals short name
("VW") joins the one one-word name it shortens ("Volkswagen") when an article names both.
Ids are a hash of type and canonical key, so they stay put when the corpus
is rebuilt and grows, unless a longer name for the referent turns up.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from dateline.corpus.text import vocabulary, words

PERSON_TYPES = frozenset({"PERSON", "PER"})
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})

Key = tuple[str, ...]


def name_key(name: str, type_: str) -> Key:
    tokens = [t[:-2] if t.endswith("'s") else t for t in words(name)]
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    if type_ in PERSON_TYPES:
        titles = vocabulary("titles")
        while len(tokens) > 1 and tokens[0] in titles:
            tokens = tokens[1:]
        while len(tokens) > 1 and tokens[-1] in _SUFFIXES:
            tokens = tokens[:-1]
        if len(tokens) > 2:
            tokens = [tokens[0], *(t for t in tokens[1:-1] if len(t) > 1), tokens[-1]]
    return tuple(tokens)


def acronym(key: Key) -> str:
    stop = {"of", "and", "for", "the", "de", "la"}
    return "".join(t[0] for t in key if t not in stop)


@dataclass
class EntityRow:
    document_id: str
    entity_id: str
    name: str
    type: str
    aliases: list[str]
    mentions: int
    canonical_document: bool


@dataclass
class CorpusEntity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    documents: int = 0
    mentions: int = 0


class _Union:
    def __init__(self) -> None:
        self.parent: dict[Key, Key] = {}

    def find(self, key: Key) -> Key:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: Key, b: Key) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the longer name roots the cluster, so it names it
            root, other = sorted((ra, rb), key=lambda k: (-len(k), k))
            self.parent[other] = root


@dataclass
class _Typed:
    """One entity type resolved: each row's key, each key's cluster root, and what stays ambiguous."""

    row_keys: dict[int, Key]
    roots: dict[Key, Key]
    ambiguous: dict[Key, set[Key]]


def _resolve_type(rows: list[EntityRow]) -> _Typed:
    union = _Union()
    row_keys: dict[int, Key] = {}
    short: set[Key] = set()
    for n, row in enumerate(rows):
        key = name_key(row.name, row.type)
        if not key:
            continue
        row_keys[n] = key
        union.find(key)
        for alias in row.aliases:
            other = name_key(alias, row.type)
            if len(other) > 1 and len(key) > 1:
                union.union(key, other)
            elif other and other != key:
                short.add(other)
        if len(key) == 1:
            short.add(key)
    by_last: dict[str, set[Key]] = defaultdict(set)
    by_initials: dict[str, set[Key]] = defaultdict(set)
    for key in [k for k in union.parent if len(k) > 1]:
        by_last[key[-1]].add(union.find(key))
        by_initials[acronym(key)].add(union.find(key))
    ambiguous: dict[Key, set[Key]] = {}
    for key in sorted(short):
        candidates = {union.find(c) for c in by_last.get(key[0], set()) | by_initials.get(key[0], set())}
        if len(candidates) == 1:
            union.union(next(iter(candidates)), key)
        elif len(candidates) > 1:
            ambiguous[key] = candidates
    _join_abbreviations(rows, union, ambiguous)
    return _Typed(row_keys, {k: union.find(k) for k in list(union.parent)}, ambiguous)


def _abbreviates(short: str, word: str) -> bool:
    """Whether capitals like "VW" shorten one word ("Volkswagen"): its first letter, then the rest in order."""
    if len(word) < len(short) + 3 or word[0] != short[0]:
        return False
    rest = iter(word[1:])
    return all(letter in rest for letter in short[1:])


def _join_abbreviations(rows: list[EntityRow], union: _Union, ambiguous: dict[Key, set[Key]]) -> None:
    """An all-capitals short name ("VW") joins the one-word name it shortens ("Volkswagen") when an
    article names both and no other one-word name of the type fits; a multi-word name's initials
    ("NATO") are joined before this by `acronym`."""
    documents: dict[Key, set[str]] = defaultdict(set)
    capitals: set[Key] = set()
    for row in rows:
        for name in (row.name, *row.aliases):
            key = name_key(name, row.type)
            if len(key) != 1:
                continue
            documents[key].add(row.document_id)
            if name.isalpha() and name.isupper() and 2 <= len(name) <= 5:
                capitals.add(key)
    words_ = sorted(k for k in documents if k not in capitals)
    for short in sorted(capitals):
        if union.find(short) != short or short in ambiguous or any(union.find(k) == short for k in words_):
            continue
        fits = [k for k in words_ if _abbreviates(short[0], k[0]) and documents[k] & documents[short]]
        if len(fits) == 1:
            union.union(union.find(fits[0]), short)


def _disambiguate(
    by_type: dict[str, list[EntityRow]], typed: dict[str, _Typed]
) -> dict[tuple[str, int], Key]:
    """Roots for rows whose one-word name fits several referents, chosen by the company they keep.

    "President Biden" in an article about Baghdad and Iraq is the Biden whose
    other articles name Baghdad and Iraq; with no such evidence, or a tie, the
    name stays an entity of its own.
    """
    context: dict[str, set[tuple[str, Key]]] = defaultdict(set)
    pending: list[tuple[str, int, EntityRow, set[Key]]] = []
    for type_, rows in by_type.items():
        t = typed[type_]
        for n, row in enumerate(rows):
            key = t.row_keys.get(n)
            if key is None:
                continue
            if key in t.ambiguous and t.roots[key] == key:
                pending.append((type_, n, row, t.ambiguous[key]))
            else:
                context[row.document_id].add((type_, t.roots[key]))
    if not pending:
        return {}
    wanted = {(type_, c) for type_, _, _, cands in pending for c in cands}
    company: dict[tuple[str, Key], set[tuple[str, Key]]] = defaultdict(set)
    for items in context.values():
        for item in items & wanted:
            company[item] |= items - {item}
    chosen: dict[tuple[str, int], Key] = {}
    for type_, n, row, candidates in pending:
        scores = sorted(
            ((len(company[(type_, c)] & context[row.document_id]), c) for c in candidates), reverse=True
        )
        if scores[0][0] > 0 and (len(scores) == 1 or scores[0][0] > scores[1][0]):
            chosen[(type_, n)] = scores[0][1]
    return chosen


def entity_id(type_: str, key: Key) -> str:
    return "E" + hashlib.sha1(f"{type_}|{' '.join(key)}".encode()).hexdigest()[:12]


def resolve(rows: Iterable[EntityRow]) -> tuple[list[CorpusEntity], list[tuple[str, str, str]]]:
    """Corpus entities, and links (document_id, entity_id, corpus_entity_id) for every article's entity."""
    by_type: dict[str, list[EntityRow]] = defaultdict(list)
    for row in rows:
        by_type[row.type].append(row)
    typed = {type_: _resolve_type(items) for type_, items in by_type.items()}
    chosen = _disambiguate(by_type, typed)
    entities: list[CorpusEntity] = []
    links: list[tuple[str, str, str]] = []
    for type_, items in sorted(by_type.items()):
        t = typed[type_]
        names: dict[Key, Counter[str]] = defaultdict(Counter)
        aliases: dict[Key, set[str]] = defaultdict(set)
        documents: dict[Key, set[str]] = defaultdict(set)
        mentions: Counter[Key] = Counter()
        for n, row in enumerate(items):
            key = t.row_keys.get(n)
            if key is None:
                continue
            root = chosen.get((type_, n), t.roots[key])
            links.append((row.document_id, row.entity_id, entity_id(type_, root)))
            aliases[root].update([row.name, *row.aliases])
            if row.canonical_document:
                # wire copies are not new evidence: count each story's words once
                names[root][row.name] += max(1, row.mentions)
                documents[root].add(row.document_id)
                mentions[root] += row.mentions
            else:
                names[root][row.name] += 0
        for root in sorted(aliases):
            longest = [n for n in names[root] if len(name_key(n, type_)) == len(root)] or list(names[root])
            name = max(longest, key=lambda n: (names[root][n], n)) if longest else " ".join(root)
            entities.append(
                CorpusEntity(
                    id=entity_id(type_, root),
                    name=name,
                    type=type_,
                    aliases=sorted(aliases[root] - {name}),
                    documents=len(documents[root]),
                    mentions=mentions[root],
                )
            )
    return entities, links
