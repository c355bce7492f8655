"""Temporal awareness (UzZaman & Allen 2011; the TempEval-3 metric) over the relations a timeline implies.

SemEval-2015 Task 4 scores a timeline by turning it into a graph of temporal relations and comparing
graphs: precision is the share of the system's non-redundant relations that the closure of the gold
graph entails, recall the share of the gold's non-redundant relations that the closure of the
system graph entails.  This module does the graph part with point algebra: every event and every
date is an interval (start < end), each relation a set of (<, <=) constraints between endpoints, and
a relation is entailed when each of its constraints follows by a path (through at least one strict
step for <).  For the relations a timeline can hold (BEFORE, SIMULTANEOUS, IS_INCLUDED) this closure
is complete.

How a timeline becomes relations (`timeline_relations`):
- events on one line are SIMULTANEOUS (the same event, or at the same time);
- events with the same ORDER ≥ 1 are SIMULTANEOUS, and the events of each ORDER are BEFORE those of
  the next ORDER;
- an event with a date (not XXXX-XX-XX) IS_INCLUDED in that date (a node per distinct date value);
- ORDER 0 holds events that could not be ordered: they get only their date.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Relation = Literal["BEFORE", "SIMULTANEOUS", "IS_INCLUDED"]

_UNKNOWN = re.compile(r"^X{4}")
_DATE = re.compile(r"^(?:\d{4}|X{4})(?:-(?:\d{2}|XX)){0,2}$")


@dataclass(frozen=True)
class Link:
    """One temporal relation between two nodes (event ids, or "date:2008-03" nodes)."""

    a: str
    b: str
    relation: Relation


@dataclass
class Line:
    """One line of a timeline file: its ORDER, its DATE as written, and its events."""

    order: int
    date: str
    events: list[str]


@dataclass
class Counts:
    """What precision and recall are made of; summed over timelines for micro-averages."""

    system_matched: int = 0
    system_total: int = 0
    gold_matched: int = 0
    gold_total: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.system_matched + other.system_matched,
            self.system_total + other.system_total,
            self.gold_matched + other.gold_matched,
            self.gold_total + other.gold_total,
        )

    @property
    def precision(self) -> float:
        return self.system_matched / self.system_total if self.system_total else 0.0

    @property
    def recall(self) -> float:
        return self.gold_matched / self.gold_total if self.gold_total else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def is_date(value: str) -> bool:
    return bool(_DATE.match(value))


def date_node(value: str) -> str | None:
    """The node a timeline date stands for: "2003-XX-XX" is the year 2003; "XXXX-XX-XX" is none."""
    if _UNKNOWN.match(value):
        return None
    known = [part for part in value.split("-") if part and "X" not in part]
    return "date:" + "-".join(known)


def parse_timeline(text: str) -> tuple[str, list[Line]]:
    """A timeline file: the target entity on the first line, then `ORDER<TAB>DATE<TAB>EVENT...` lines.

    Fields that look like dates are never events (one gold line lost its newline and carries a
    second ORDER/DATE pair in the middle: its events are kept, the stray fields dropped).
    """
    lines = text.splitlines()
    entity = lines[0].strip() if lines else ""
    found: list[Line] = []
    for raw in lines[1:]:
        fields = [f.strip() for f in raw.split("\t") if f.strip()]
        if len(fields) < 3 or not fields[0].isdigit():
            continue
        events = [f for f in fields[2:] if not is_date(f) and not f.isdigit()]
        found.append(Line(int(fields[0]), fields[1], events))
    return entity, found


def format_timeline(entity: str, lines: Sequence[Line]) -> str:
    return entity + "\n" + "".join(f"{ln.order}\t{ln.date}\t" + "\t".join(ln.events) + "\n" for ln in lines)


def timeline_relations(lines: Sequence[Line]) -> list[Link]:
    """The relations a timeline states, in a fixed order (see the module's docstring)."""
    links: list[Link] = []
    by_order: dict[int, list[str]] = defaultdict(list)
    for line in lines:
        links += [Link(a, b, "SIMULTANEOUS") for a, b in zip(line.events, line.events[1:], strict=False)]
        if line.order > 0:
            by_order[line.order].extend(line.events)
    for events in by_order.values():
        links += [Link(a, b, "SIMULTANEOUS") for a, b in itertools.pairwise(events)]
    for line in lines:
        node = date_node(line.date)
        if node is not None:
            links += [Link(e, node, "IS_INCLUDED") for e in line.events]
    orders = sorted(by_order)
    links += [Link(by_order[a][-1], by_order[b][0], "BEFORE") for a, b in itertools.pairwise(orders)]
    # the same link stated twice is one link
    return list(dict.fromkeys(link for link in links if link.a != link.b))


Point = tuple[str, bool]  # (node, is_end)


def _constraints(link: Link) -> list[tuple[Point, Point, bool]]:
    """(p, q, strict): p < q when strict, else p <= q."""
    a0, a1, b0, b1 = (link.a, False), (link.a, True), (link.b, False), (link.b, True)
    if link.relation == "BEFORE":
        return [(a1, b0, True)]
    if link.relation == "SIMULTANEOUS":
        return [(a0, b0, False), (b0, a0, False), (a1, b1, False), (b1, a1, False)]
    return [(b0, a0, False), (a1, b1, False)]  # IS_INCLUDED: a lies within b


class Graph:
    """Endpoint constraints of a set of links, asked whether a link follows from them."""

    def __init__(self, links: Iterable[Link]) -> None:
        self.edges: dict[Point, list[tuple[Point, bool]]] = defaultdict(list)
        self.nodes: set[str] = set()
        for link in links:
            self.add(link)

    def add(self, link: Link) -> None:
        for node in (link.a, link.b):
            if node not in self.nodes:
                self.nodes.add(node)
                self.edges[(node, False)].append(((node, True), True))  # every interval has start < end
        for p, q, strict in _constraints(link):
            self.edges[p].append((q, strict))

    def remove(self, link: Link) -> None:
        for p, q, strict in _constraints(link):
            self.edges[p].remove((q, strict))

    def _reach(self, source: Point, target: Point) -> bool | None:
        """None when target is not reachable; else whether some path to it has a strict step."""
        best: dict[Point, bool] = {source: False}
        stack = [source]
        while stack:
            point = stack.pop()
            strict = best[point]
            for nxt, step in self.edges.get(point, ()):
                value = strict or step
                if nxt not in best or (value and not best[nxt]):
                    best[nxt] = value
                    stack.append(nxt)
        return best.get(target)

    def entails(self, link: Link) -> bool:
        if link.a not in self.nodes or link.b not in self.nodes:
            return False
        for p, q, strict in _constraints(link):
            found = self._reach(p, q)
            if found is None or (strict and not found):
                return False
        return True


def reduce(links: Sequence[Link]) -> list[Link]:
    """The non-redundant links: each one, latest first, dropped when the others entail it."""
    graph = Graph(links)
    kept = list(links)
    for link in reversed(links):
        graph.remove(link)
        if graph.entails(link):
            kept.remove(link)
        else:
            graph.add(link)
    return kept


def score(gold: Sequence[Line], system: Sequence[Line]) -> Counts:
    """Temporal awareness counts of one system timeline against its gold timeline."""
    gold_links, system_links = timeline_relations(gold), timeline_relations(system)
    gold_reduced, system_reduced = reduce(gold_links), reduce(system_links)
    gold_graph, system_graph = Graph(gold_links), Graph(system_links)
    return Counts(
        system_matched=sum(gold_graph.entails(link) for link in system_reduced),
        system_total=len(system_reduced),
        gold_matched=sum(system_graph.entails(link) for link in gold_reduced),
        gold_total=len(gold_reduced),
    )
