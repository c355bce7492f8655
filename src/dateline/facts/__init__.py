"""The `facts` stage: spaCy components that turn the parse into Dateline facts.

Importing this package registers every component factory with spaCy.
`COMPONENTS` lists them in pipeline order.
"""

from dateline.facts import entities as entities
from dateline.facts import events as _events  # noqa: F401  (registers dateline_events)
from dateline.facts import quantities as quantities
from dateline.facts import quotes as _quotes  # noqa: F401  (registers dateline_quotes)
from dateline.facts import times as _times  # noqa: F401  (registers dateline_times)

COMPONENTS: tuple[str, ...] = (
    "dateline_entities",
    "dateline_quantities",
    "dateline_times",
    "dateline_quotes",
    "dateline_events",
)
