"""The `corpus` stage: what spans articles — dedup, corpus entities, stories, and questions over them.

Library functions over a DuckDB connection (`Store.db`), called by the CLI
and the REST API alike.
"""

from dateline.corpus import build, dedup, fulltext
from dateline.corpus.build import rebuild
from dateline.corpus.chronology import TimelineEntry, matching_entities, timeline
from dateline.corpus.fulltext import Hit, search
from dateline.corpus.queries import (
    QuoteEntry,
    Series,
    Source,
    Trends,
    find_entities,
    quotes,
    stats,
    trends,
)

DDL = (*dedup.DDL, *fulltext.DDL, *build.DDL)

__all__ = [
    "DDL",
    "Hit",
    "QuoteEntry",
    "Series",
    "Source",
    "TimelineEntry",
    "Trends",
    "find_entities",
    "matching_entities",
    "quotes",
    "rebuild",
    "search",
    "stats",
    "timeline",
    "trends",
]
