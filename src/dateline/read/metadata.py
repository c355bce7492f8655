"""Choose each metadata value of a page from what it says, and keep the evidence.

For each field the page's statements (`sources.collect`) are ranked by how
reliable their source is; the best value is kept with its source, a
confidence, the sources that agree with it and the values that were not kept
(`model.FieldEvidence`).  The rules:

- date: the publication date from the page's structured data (JSON-LD, then
  meta tags, microdata, <time>), else a date line above the text, else
  htmldate's extensive search for the original date, else a modified date
  (and then `published_kind` says so).  The page's own time zone is kept: of
  two statements of the same instant, the one with the page's local offset
  gives the calendar date, never a conversion to UTC.
- authors: people only, from the first source that names one (JSON-LD,
  meta, microdata, author elements, a byline above the text); organisations
  go to `author_organizations`.
- title: the headline without the site's name; the visible <h1> when the
  titles hold it.
- publisher: the site's declared name, else the site part cut from the
  title, else the domain.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import htmldate

from dateline.errors import InputError
from dateline.model import DateKind, Evidence, FieldEvidence, Metadata, MetadataSource
from dateline.read import names, titles
from dateline.read.dates import PageDate, parse_date
from dateline.read.sources import Candidate, PageFacts, collect, site_of

# Sources of dates, most reliable first; text-header and htmldate are asked only when the page has no structured date.
DATE_SOURCES: tuple[MetadataSource, ...] = ("json-ld", "meta", "microdata", "time", "url")
AUTHOR_SOURCES: tuple[MetadataSource, ...] = ("json-ld", "meta", "microdata", "byline", "text-header")
TITLE_SOURCES: tuple[MetadataSource, ...] = ("json-ld", "meta", "microdata", "title", "h1")
# Sources read one element at a time: of several author elements, only the first that names a person counts.
ONE_ELEMENT_SOURCES = frozenset({"byline", "text-header"})
SITE_SOURCES: tuple[MetadataSource, ...] = ("meta", "json-ld", "microdata")
# At most this many alternatives are listed per field.
MAX_ALTERNATIVES = 5


@dataclass
class PageMetadata:
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None
    evidence: Metadata = field(default_factory=Metadata)


@cache
def _confidences() -> dict[tuple[str, str, str], float]:
    """Confidence by field, source and agreement (data/confidence.tsv, measured on the tuning pages)."""
    table: dict[tuple[str, str, str], float] = {}
    raw = resources.files("dateline.read").joinpath("data", "confidence.tsv").read_text(encoding="utf-8")
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            field_name, source, agreement, value = line.split()
            table[field_name, source, agreement] = float(value)
    return table


def confidence(field_name: str, source: str, agreed: bool) -> float:
    """The share of right values for a field read from a source (alone, or with another source agreeing).

    Sources never seen on the tuning pages get the field's share over all sources.
    """
    table = _confidences()
    agreement = "agreed" if agreed else "alone"
    for key in ((field_name, source, agreement), (field_name, source, "*"), (field_name, "*", "*")):
        if key in table:
            return table[key]
    return 0.5


def _evidence(
    field_name: str, kept: Candidate, agreeing: Iterable[Candidate], others: Iterable[Candidate]
) -> FieldEvidence:
    agree = list(dict.fromkeys(c.label for c in agreeing if c.label != kept.label))
    seen = {kept.value}
    alternatives: list[Evidence] = []
    for other in others:
        if other.value not in seen and len(alternatives) < MAX_ALTERNATIVES:
            seen.add(other.value)
            alternatives.append(Evidence(other.value, other.source, other.key))
    return FieldEvidence(
        source=kept.source,
        key=kept.key,
        confidence=confidence(field_name, kept.source, bool(agree)),
        agreeing=agree,
        alternatives=alternatives,
    )


# ---- dates --------------------------------------------------------------------------------------


def _rank(candidate: Candidate, order: tuple[MetadataSource, ...]) -> int:
    return order.index(candidate.source) if candidate.source in order else len(order)


def _local(best: Candidate, dates: list[Candidate]) -> Candidate:
    """The same instant as the page writes it in its own zone, when `best` gives it in UTC."""
    assert best.date is not None
    if best.date.offset is None or best.date.offset.total_seconds() != 0:
        return best
    instant = best.date.utc
    for other in dates:
        if other.date is not None and other.date.offset and other.date.utc == instant:
            return Candidate(other.value, best.source, best.key, best.kind, other.date, best.shown)
    return best


def _days(candidates: Iterable[Candidate]) -> set[date]:
    return {c.date.day for c in candidates if c.date is not None}


def _is_modified(shown: Candidate, published: list[Candidate], modified: list[Candidate]) -> bool:
    """A shown date that the page's metadata gives as its modified date only (the page shows when it was updated)."""
    assert shown.date is not None
    stated = [c for c in published if c.key != "text"]  # what the metadata says, not other shown words
    return shown.date.day in _days(modified) and shown.date.day not in _days(stated)


def _with_time(shown: Candidate, published: list[Candidate]) -> Candidate:
    """The shown date with the time and offset of a stated publication time on the same day, if there is one."""
    assert shown.date is not None
    for candidate in published:
        if candidate.date is not None and candidate.date.has_time:
            local = _local(candidate, published)
            if local.date is not None and local.date.day == shown.date.day:
                return Candidate(local.value, shown.source, shown.key, "published", local.date, shown.date)
    return shown


def _htmldate(tree: Any, url: str | None) -> PageDate | None:
    try:
        found = htmldate.find_date(tree, extensive_search=True, original_date=True, url=url)
    except Exception as exc:  # htmldate's own faults on hostile markup: one clear line, not a traceback
        raise InputError(f"cannot read the page's date: {type(exc).__name__} in htmldate") from exc
    return parse_date(found) if found else None


def choose_date(
    facts: PageFacts, tree: Any, header_dates: list[PageDate]
) -> tuple[str | None, DateKind | None, FieldEvidence | None]:
    dates = facts.dates
    shown = [c for c in dates if c.source == "text-header"]
    published = sorted(
        (c for c in dates if c.kind == "published" and c.source != "text-header"),
        key=lambda c: _rank(c, DATE_SOURCES),
    )
    modified = [c for c in dates if c.kind == "modified"]
    best: Candidate | None = None
    kind: DateKind = "published"
    if shown and not _is_modified(shown[0], published, modified):
        best = _with_time(shown[0], published)
    elif published:
        best = _local(published[0], dates)
    elif header_dates:
        best = Candidate(header_dates[0].value, "text-header", None, "published", header_dates[0])
    else:
        found = _htmldate(tree, facts.url)
        if found is not None:
            best = Candidate(found.value, "htmldate", "original_date", "published", found)
            # htmldate found no other date than the page's modified one: say it is that
            if any(m.date is not None and m.date.day == found.day for m in modified):
                kind = "modified"
        elif modified:
            best, kind = modified[0], "modified"
    if best is None or best.date is None:
        return None, None, None
    day = best.date.day
    same = [c for c in dates if c.date is not None and c.date.day == day and c.kind == kind]
    others = [c for c in [*published, *modified] if c.date is not None and c.date.day != day]
    return best.value, kind, _evidence("date", best, same, others)


# ---- authors ------------------------------------------------------------------------------------


def choose_authors(
    facts: PageFacts, header_bylines: list[str], sites: list[str]
) -> tuple[list[str], list[str], FieldEvidence | None]:
    groups: dict[MetadataSource, list[Candidate]] = {source: [] for source in AUTHOR_SOURCES}
    for candidate in facts.authors:
        groups.setdefault(candidate.source, []).append(candidate)
    groups["text-header"] += [Candidate(line, "text-header", "text") for line in header_bylines]
    organizations = [o.value for o in facts.organizations]
    kept: list[str] = []
    chosen: list[Candidate] = []
    for source in AUTHOR_SOURCES:
        candidates = groups[source]
        if source in ONE_ELEMENT_SOURCES:
            # the article's own byline comes first; later author elements belong to teasers and comments
            candidates = next(([c] for c in candidates if names.people([c.value], sites)[0]), candidates[:1])
        persons, orgs = names.people((c.value for c in candidates), sites)
        organizations.extend(orgs)
        if persons and not kept:
            kept, chosen = persons, candidates
    organizations = _unique(o for o in organizations if o.casefold() not in {k.casefold() for k in kept})
    if not kept:
        return [], organizations, None
    found = {n.casefold() for n in kept}
    agreeing: list[Candidate] = []
    others: list[Candidate] = []
    for candidate in facts.authors:
        persons, _ = names.people([candidate.value], sites)
        if persons and {p.casefold() for p in persons} <= found:
            agreeing.append(candidate)
        else:
            others.extend(Candidate(p, candidate.source, candidate.key) for p in persons)
    first = chosen[0]
    return kept, organizations, _evidence("authors", first, agreeing, others)


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


# ---- title and publisher ------------------------------------------------------------------------


def choose_title(facts: PageFacts, keys: set[str]) -> tuple[str | None, FieldEvidence | None, str | None]:
    """The headline, its evidence, and the site part cut from the <title> (a publisher name, if any)."""
    stated = sorted((c for c in facts.titles if c.source != "h1"), key=lambda c: _rank(c, TITLE_SOURCES))
    # a headline element that is the last part of the <title> is the site's logo: "Headline | Site" with <h1>Site</h1>
    page_titles = [c.value for c in stated if c.source == "title"]
    logos = {
        h.value
        for h in facts.titles
        if h.source == "h1" and any(titles.ends_with(t, h.value, keys) for t in page_titles)
    }
    keys = keys | titles.site_keys(logos)
    cleaned = [
        Candidate(titles.strip_site(c.value, keys), c.source, c.key)
        for c in stated
        if not titles.is_site_name(c.value, keys)
    ]
    cleaned = [c for c in cleaned if c.value]
    headlines = [c for c in facts.titles if c.source == "h1" and not titles.is_site_name(c.value, keys)]
    site_part = _site_part(stated, keys)
    best: Candidate | None = None
    stated_words = {w for c in cleaned for w in titles.words(c.value)}

    def shared(headline: Candidate) -> float:
        own = set(titles.words(headline.value))
        return len(own & stated_words) / len(own) if own else 0.0

    # the headline the page shows; of several, the one the stated titles share most words with
    h1 = max(headlines, key=shared) if headlines else None
    if h1 is not None and (not cleaned or len(headlines) == 1 or shared(h1) >= titles.SHARED_WORDS):
        same = [c for c in cleaned if titles.words(c.value) == titles.words(h1.value)]
        best = same[0] if same else h1
    elif cleaned:
        best = cleaned[0]
    if best is None:
        return None, None, site_part
    agreeing = [c for c in [*cleaned, *headlines] if titles.words(c.value) == titles.words(best.value)]
    others = [c for c in [*cleaned, *headlines] if titles.words(c.value) != titles.words(best.value)]
    return best.value, _evidence("title", best, agreeing, others), site_part


def _site_part(stated: list[Candidate], keys: set[str]) -> str | None:
    """The part of a title cut as the site's name ("Headline | City Daily" → "City Daily")."""
    for candidate in stated:
        kept = titles.strip_site(candidate.value, keys)
        rest = candidate.value.replace(kept, "", 1).strip(" |-–—:»«·•")
        if kept != candidate.value and rest and titles.names_site(rest, keys):
            return rest
    return None


def choose_publisher(facts: PageFacts, site_part: str | None) -> tuple[str | None, FieldEvidence | None]:
    stated = sorted(facts.sites, key=lambda c: _rank(c, SITE_SOURCES))
    if stated:
        best = stated[0]
    elif site_part:
        best = Candidate(site_part, "title")
    elif (domain := site_of(facts.url)) is not None:
        best = Candidate(domain, "url")
    else:
        return None, None
    same = [c for c in stated if titles.words(c.value) == titles.words(best.value)]
    others = [c for c in stated if titles.words(c.value) != titles.words(best.value)]
    return best.value.strip(), _evidence("publisher", best, same, others)


# ---- all fields ---------------------------------------------------------------------------------


def read_metadata(
    tree: Any, url: str | None = None, *, header_lines: Iterable[str] = (), header_bylines: Iterable[str] = ()
) -> PageMetadata:
    """Title, date, publisher and authors of a parsed page, each with its evidence.

    `header_lines` are short lines found above the article text (dates,
    bylines) and `header_bylines` those of them that read as bylines.
    """
    facts = collect(tree, url)
    header_dates = [d for d in (parse_date(line) for line in header_lines) if d is not None]
    site_names = [c.value for c in facts.sites]
    domain = site_of(facts.url)
    keys = titles.site_keys([*site_names, *([domain] if domain else [])])
    title, title_evidence, site_part = choose_title(facts, keys)
    publisher, publisher_evidence = choose_publisher(facts, site_part)
    sites = [*site_names, *([publisher] if publisher else []), *([domain] if domain else [])]
    authors, organizations, author_evidence = choose_authors(facts, list(header_bylines), sites)
    published, kind, date_evidence = choose_date(facts, tree, header_dates)
    return PageMetadata(
        title=title,
        published=published,
        publisher=publisher,
        authors=authors,
        url=facts.url,
        evidence=Metadata(
            published=date_evidence,
            published_kind=kind,
            authors=author_evidence,
            author_organizations=organizations,
            title=title_evidence,
            publisher=publisher_evidence,
        ),
    )
