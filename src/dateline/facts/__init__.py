"""The `facts` stage: spaCy components that turn the parse into Dateline facts.

Importing this package registers every component factory with spaCy.
`COMPONENTS` lists them in pipeline order.
"""

from dateline.facts import events as _events  # noqa: F401  (registers dateline_events)

COMPONENTS: tuple[str, ...] = ("dateline_events",)
