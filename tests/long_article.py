"""Long articles of any length, written from the project's own sentences (no gold text).

A long article reads like a live blog or a report of many happenings: each paragraph names
people, places and organisations (some new, some seen before), quotes someone directly and
indirectly, dates things ("on Monday", "last March", "two days later") and counts them.  The
same seed and length give the same text.
"""

from __future__ import annotations

import random
import time

from spacy.language import Language

_SYLLABLES = ("bra", "ven", "tol", "mar", "kis", "or", "lun", "dal", "fen", "gra", "hol", "pel", "san", "zar")
_FIRST = ("Maria", "James", "Aisha", "Tomasz", "Lena", "Kwame", "Priya", "Diego", "Hannah", "Omar", "Yuki")
_ROLES = ("Mayor", "Minister", "Senator", "Police Chief", "Governor", "Director")
_KINDS = ("Council", "Authority", "Union", "Institute", "Agency")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
_MONTHS = ("January", "March", "May", "July", "September", "November")

_PARAGRAPHS = (
    "{role} {person} said on {day} that the {org} would spend {money} million on repairs in {place}. "
    '"We cannot wait another winter," {surname} told reporters. '
    "About {n} hundred residents attended the meeting.",
    "The {org} announced last {month} that it would close the bridge at {place} for {m} months. "
    "{person}, who leads the {org}, said the decision had been difficult. "
    '"Safety comes first," she said.',
    "Police arrested {n} people after protesters blocked the road into {place} on {day}. "
    "{role} {person} condemned the violence and promised an inquiry. "
    "Two days later, the {org} met the protesters' leaders.",
    '"The numbers do not add up," said {person}, an economist at the {org}. '
    "{surname} said the plan would cost at least {money} million over {m} years, "
    "more than twice the figure given in {month}.",
    "Rescue teams reached {place} early on {day} after the river rose by {m} metres overnight. "
    "The {org} said {n} families had been moved to shelters. "
    '"We expect more rain this week," {role} {person} said.',
    "{person} visited {place} on {day} and signed an agreement with the {org}. "
    "Under the deal, the {org} will hire {n} hundred workers by the end of the year, "
    "according to a statement.",
)


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _paragraph(rng: random.Random, people: list[tuple[str, str]]) -> str:
    # two in three paragraphs bring a new person: long articles keep meeting new names
    if not people or rng.random() < 0.66:
        surname = _name(rng) + rng.choice(("son", "ski", "ez", "ov", "er"))
        people.append((f"{rng.choice(_FIRST)} {surname}", surname))
    person, surname = rng.choice(people[-20:])
    place = _name(rng)
    return rng.choice(_PARAGRAPHS).format(
        role=rng.choice(_ROLES),
        person=person,
        surname=surname,
        place=place,
        org=f"{place if rng.random() < 0.5 else _name(rng)} {rng.choice(_KINDS)}",
        day=rng.choice(_DAYS),
        month=rng.choice(_MONTHS),
        money=rng.randint(2, 900),
        n=rng.randint(2, 40),
        m=rng.randint(2, 9),
    )


def article(chars: int, seed: int = 0) -> str:
    """An article of at least `chars` characters (paragraphs separated by blank lines)."""
    rng = random.Random(seed)
    people: list[tuple[str, str]] = []
    paragraphs: list[str] = []
    size = 0
    while size < chars:
        paragraphs.append(_paragraph(rng, people))
        size += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)


def component_seconds(
    nlp: Language, text: str, published: str | None = "2021-07-27", rounds: int = 3
) -> dict[str, float]:
    """CPU seconds each pipe of `nlp` takes on `text`, the least of `rounds` runs of it.

    The text is cut into windows as `analyze` cuts it; each pipe runs on the output of the
    ones before it, and a fact component finds the facts of the earlier ones as they left them.
    """
    from dateline.model import Document
    from dateline.nlp.pipeline import WINDOW, _prepare
    from dateline.nlp.windows import windows

    spent = dict.fromkeys(nlp.pipe_names, 0.0)
    document = Document(id="long", text=text, published=published)
    for window in windows(text, WINDOW):
        doc = _prepare(nlp, document, text[window.start : window.end])
        for name, proc in nlp.pipeline:
            before = dict(doc._.facts)
            best = float("inf")
            for _ in range(rounds):
                doc._.facts = dict(before)
                start = time.process_time()
                doc = proc(doc)
                best = min(best, time.process_time() - start)
            spent[name] += best
    return spent


# Fact components known to be quadratic in the text's length, each with the reason.  Long-text
# tests leave them out (saying why); empty since issues 16 and 19 made entities and quotes linear.
NOT_YET_LINEAR: dict[str, str] = {}


def linear_components() -> tuple[str, ...]:
    from dateline.nlp.pipeline import fact_components

    return tuple(c for c in fact_components() if c not in NOT_YET_LINEAR)
