"""The `facts` stage: spaCy components that turn the parse into Dateline facts.

Importing this package registers every component factory with spaCy.
`COMPONENTS` lists them in pipeline order.
"""

from dateline.facts import times as times  # registers dateline_times

COMPONENTS: tuple[str, ...] = ("dateline_times",)
