"""Write N synthetic news articles from the project's own templates, with the truth about them.

Articles come in stories (one happening, several reports over days, each
written from a different pick and order of sentences), some have wire copies
(same text, new headline, a dateline, the last paragraph cut) and some are
exact repeats under another URL.  `truth.jsonl` beside the output says, for
each URL, its story and the URL it copies, so dedup and story grouping can be
scored.

    python bench/gen_corpus.py 10000 /tmp/corpus.jsonl [--format jsonl|dir|warc] [--seed 1]
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

FIRST = [
    "Maria",
    "James",
    "Aisha",
    "Tomasz",
    "Lena",
    "Kwame",
    "Priya",
    "Diego",
    "Hannah",
    "Omar",
    "Yuki",
    "Sofia",
    "Malik",
    "Greta",
    "Ravi",
    "Ingrid",
    "Samuel",
    "Nadia",
    "Felix",
    "Chiara",
]
LAST = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Haddad",
    "Petrov",
    "Tanaka",
    "Osei",
    "Castillo",
    "Brennan",
    "Novak",
    "Rahman",
    "Keller",
    "Sato",
    "Duarte",
    "Walsh",
    "Ferreira",
    "Abbasi",
    "Kowalski",
    "Mensah",
    "Larsen",
]
SYLLABLES = [
    "bra",
    "ven",
    "tol",
    "mar",
    "kis",
    "or",
    "lun",
    "dal",
    "fen",
    "gra",
    "hol",
    "ist",
    "pel",
    "ru",
    "san",
    "tor",
    "vel",
    "wyn",
    "zar",
    "qu",
]
ROLES = ["Mayor", "Minister", "Chief Executive", "Senator", "Police Chief", "Governor", "Director"]
ORG_KINDS = ["Council", "Authority", "Holdings", "Union", "Institute", "Party", "Agency"]
WIRES = ["Wire", "Newsline", "Global Press"]

TOPICS: dict[str, dict[str, list[str]]] = {
    "bridge": {
        "head": [
            "{place} bridge to close for {n} months",
            "Repairs shut {place} crossing",
            "{org} orders {place} bridge closure",
        ],
        "lines": [
            "Engineers found cracks in the main span of the {place} bridge during an inspection on {day}.",
            "The {org} said the crossing would close for about {n} months while steel supports are replaced.",
            "Commuters will be diverted along the river road, adding roughly {m} minutes to a typical journey.",
            "{role} {person} said the closure was regrettable but that safety could not wait.",
            '"We cannot ask people to drive over a structure we do not trust," {surname} said.',
            "Local shop owners warned that the detour would cut trade in the town centre.",
            "The repair bill is estimated at {money} million, to be shared with the regional government.",
            "A temporary footbridge for pedestrians and cyclists is expected within {m} days.",
            "The bridge, built in {year}, carries about {k} thousand vehicles a day.",
            "Opposition members accused the {org} of ignoring earlier warnings about the structure.",
            "Freight operators asked for night-time access to keep deliveries moving.",
            "An independent review of all river crossings in {place} was announced on {day}.",
        ],
    },
    "strike": {
        "head": [
            "{org} workers walk out in {place}",
            "Strike halts {place} services",
            "{place} strike enters day {m}",
        ],
        "lines": [
            "Members of the {org} began a strike in {place} on {day} after pay talks collapsed.",
            "The union is asking for a rise of {n} percent, while managers have offered less than half that.",
            "{role} {person} urged both sides to return to the table before the holiday season.",
            '"Our members have run out of patience," {surname} told reporters outside the depot.',
            "Services across {place} were reduced to a skeleton timetable for a {m}th day.",
            "Hospitals said they had made arrangements to keep emergency staff moving.",
            "Talks are due to resume on {day} under an independent mediator.",
            "Business groups estimated the stoppage was costing {money} million a week.",
            "Picket lines formed at dawn outside the main terminal, with about {k} hundred people taking part.",
            "The last comparable walkout in the region, in {year}, lasted nearly a month.",
            "Some drivers crossed the picket line, saying they could not afford to lose wages.",
            "Managers said contingency plans would keep about a third of routes running.",
        ],
    },
    "flood": {
        "head": [
            "Floods force evacuations in {place}",
            "{place} river bursts its banks",
            "Cleanup begins after {place} floods",
        ],
        "lines": [
            "Heavy rain caused the river to burst its banks in {place} late on {day}.",
            "About {k} hundred residents were moved to emergency shelters overnight.",
            "The {org} said water levels had reached their highest point since {year}.",
            "{role} {person} visited the worst-hit streets and promised rapid support for families.",
            '"The water came up faster than anyone expected," {surname} said at a briefing.',
            "Rescue teams used boats to reach homes cut off on the low-lying east side.",
            "Damage to roads and homes is expected to exceed {money} million.",
            "Forecasters warned that more rain could fall over the next {m} days.",
            "Schools across {place} will stay closed until the water recedes.",
            "Insurers said claims were already arriving in the thousands.",
            "Volunteers filled sandbags outside the town hall through the night.",
            "The regional railway line was suspended after a section of track was washed away.",
        ],
    },
    "merger": {
        "head": [
            "{org} agrees {money} million takeover",
            "{org} to merge with rival",
            "Shareholders back {org} deal",
        ],
        "lines": [
            "{org} announced on {day} that it had agreed to buy a smaller rival for {money} million.",
            "The combined company will be based in {place} and employ about {k} thousand people.",
            "Chief executive {person} said the deal would create a stronger competitor in export markets.",
            '"Together we can invest more and faster," {surname} said in a statement.',
            "Shares in {org} rose {n} percent in early trading after the announcement.",
            "Regulators are expected to review the deal over the next {m} weeks.",
            "Unions asked for guarantees that no jobs would be cut in {place}.",
            "Analysts said the price was roughly in line with recent deals in the sector.",
            "The company was founded in {year} as a family business.",
            "Both boards have recommended the offer to their shareholders.",
            "Some investors questioned whether the promised savings could be achieved.",
            "The deal is expected to close before the end of the financial year.",
        ],
    },
    "trial": {
        "head": [
            "{person} trial opens in {place}",
            "Jury hears evidence in {place} fraud case",
            "Verdict due in {person} case",
        ],
        "lines": [
            "The trial of former {org} official {person} opened in {place} on {day}.",
            "Prosecutors allege that {money} million was moved through a network of shell companies.",
            "{surname} denies all {n} charges against him.",
            '"My client looks forward to clearing his name," his lawyer told the court.',
            "The jury was shown bank records covering transfers made between {year} and last spring.",
            "A former colleague testified that warnings about the payments were ignored.",
            "The judge told jurors the case was expected to last about {m} weeks.",
            "Outside the court, about {k} dozen protesters held banners demanding accountability.",
            "The {org} said it was cooperating fully with investigators.",
            "Defence lawyers argued that the accounts had been approved by external auditors.",
            "The court adjourned until {day} after a witness fell ill.",
            "Several documents were read aloud to the jury in full.",
        ],
    },
}

WITNESS = [
    '"I have never seen anything like it," said {witness}, who lives on {street}.',
    "{witness}, a resident of {street}, said neighbours had been talking about little else.",
    "On {street}, {witness} said the news had come as a shock.",
]

GENERIC = [
    "Officials said further details would be published in the coming days.",
    "The announcement drew mixed reactions on local radio phone-ins.",
    "Residents interviewed on the high street were divided over what should happen next.",
    "A spokesperson declined to comment on the timing of any decision.",
    "The matter is expected to come up at the next council session.",
    "Critics said the response had been slow and poorly explained.",
]


@dataclass
class Story:
    number: int
    topic: str
    person: str
    surname: str
    role: str
    org: str
    place: str
    start: date
    numbers: dict[str, int]
    witness: str
    street: str


def _place(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _surname(rng: random.Random) -> str:
    # half the people have common surnames (which collide across stories), half rarer ones
    return (
        rng.choice(LAST)
        if rng.random() < 0.5
        else _place(rng) + rng.choice(["son", "ski", "ez", "ov", "er", "i"])
    )


def new_story(number: int, rng: random.Random, origin: date) -> Story:
    surname = _surname(rng)
    place = _place(rng)
    return Story(
        number=number,
        topic=rng.choice(sorted(TOPICS)),
        person=f"{rng.choice(FIRST)} {surname}",
        surname=surname,
        role=rng.choice(ROLES),
        org=f"{place} {rng.choice(ORG_KINDS)}"
        if rng.random() < 0.6
        else f"{_place(rng)} {rng.choice(ORG_KINDS)}",
        place=place,
        start=origin + timedelta(days=rng.randint(0, 180)),
        numbers={
            "n": rng.randint(2, 24),
            "m": rng.randint(2, 9),
            "k": rng.randint(2, 40),
            "money": rng.randint(3, 900),
            "year": rng.randint(1950, 2015),
        },
        witness=f"{rng.choice(FIRST)} {_surname(rng)}",
        street=f"{_place(rng)} {rng.choice(['Street', 'Road', 'Avenue', 'Lane'])}",
    )


def _fill(template: str, story: Story, day: date) -> str:
    return template.format(
        place=story.place,
        org=story.org,
        person=story.person,
        surname=story.surname,
        role=story.role,
        day=day.strftime("%A"),
        witness=story.witness,
        street=story.street,
        **story.numbers,
    )


@dataclass
class Article:
    url: str
    title: str
    published: str
    paragraphs: list[str]
    story: int
    copy_of: str | None = None

    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def write_article(story: Story, index: int, rng: random.Random) -> Article:
    day = story.start + timedelta(days=rng.randint(0, 6))
    pool = TOPICS[story.topic]
    lines = (
        rng.sample(pool["lines"], rng.randint(6, 9))
        + rng.sample(GENERIC, 2)
        + rng.sample(WITNESS, 1)
        + rng.sample(WITNESS, 1)
    )
    rng.shuffle(lines)
    paragraphs = [" ".join(_fill(t, story, day) for t in lines[i : i + 2]) for i in range(0, len(lines), 2)]
    return Article(
        url=f"https://news.example/{story.topic}/{story.number}-{index}",
        title=_fill(rng.choice(pool["head"]), story, day),
        published=day.isoformat(),
        paragraphs=paragraphs,
        story=story.number,
    )


def wire_copy(article: Article, rng: random.Random, n: int) -> Article:
    wire = rng.choice(WIRES)
    paragraphs = list(article.paragraphs)
    paragraphs[0] = f"({wire}) — " + paragraphs[0]
    if len(paragraphs) > 4:
        paragraphs = paragraphs[:-1]
    return Article(
        url=f"https://{wire.lower().replace(' ', '')}.example/copy/{n}",
        title=article.title.upper() if rng.random() < 0.5 else article.title + f" - {wire}",
        published=article.published,
        paragraphs=paragraphs,
        story=article.story,
        copy_of=article.url,
    )


def generate(n: int, seed: int = 1, copies: float = 0.1, repeats: float = 0.02) -> Iterator[Article]:
    return itertools.islice(_articles(n, seed, copies, repeats), n)


def _articles(n: int, seed: int, copies: float, repeats: float) -> Iterator[Article]:
    rng = random.Random(seed)
    origin = date(2024, 1, 1)
    written = 0
    story_number = 0
    while written < n:
        story = new_story(story_number, rng, origin)
        story_number += 1
        for index in range(min(rng.randint(1, 6), n - written)):
            article = write_article(story, index, rng)
            yield article
            written += 1
            roll = rng.random()
            if written < n and roll < copies:
                yield wire_copy(article, rng, written)
                written += 1
            elif written < n and roll < copies + repeats:
                yield Article(
                    article.url + "?repeat",
                    article.title,
                    article.published,
                    article.paragraphs,
                    article.story,
                    article.url,
                )
                written += 1


def page_dump(a: Article) -> str:
    return f"{a.title}\nPublished {a.published}\n\n{a.text()}\n"


def html_page(a: Article) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in a.paragraphs)
    return (
        f"<html><head><title>{a.title}</title><meta property='article:published_time' content='{a.published}'>"
        f"</head><body><article><h1>{a.title}</h1>{body}</article></body></html>"
    ).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--format", choices=["jsonl", "dir", "warc"], default="jsonl")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    truth_path = args.out.with_name(args.out.name + ".truth.jsonl")
    with truth_path.open("w") as truth:
        if args.format == "jsonl":
            with args.out.open("w") as out:
                for a in generate(args.n, args.seed):
                    out.write(
                        json.dumps(
                            {"url": a.url, "title": a.title, "text": a.text(), "published": a.published}
                        )
                        + "\n"
                    )
                    truth.write(json.dumps({"url": a.url, "story": a.story, "copy_of": a.copy_of}) + "\n")
        elif args.format == "dir":
            args.out.mkdir(parents=True, exist_ok=True)
            for i, a in enumerate(generate(args.n, args.seed)):
                sub = args.out / f"{i // 1000:04d}"
                sub.mkdir(exist_ok=True)
                (sub / f"{i:07d}.txt").write_text(page_dump(a), encoding="utf-8")
                truth.write(
                    json.dumps(
                        {
                            "url": a.url,
                            "story": a.story,
                            "copy_of": a.copy_of,
                            "file": str(sub / f"{i:07d}.txt"),
                        }
                    )
                    + "\n"
                )
        else:
            from warcio.statusandheaders import StatusAndHeaders
            from warcio.warcwriter import WARCWriter

            with args.out.open("wb") as out:
                writer = WARCWriter(out, gzip=True)
                for a in generate(args.n, args.seed):
                    http = StatusAndHeaders(
                        "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
                    )
                    record = writer.create_warc_record(
                        a.url, "response", payload=io.BytesIO(html_page(a)), http_headers=http
                    )
                    writer.write_record(record)
                    truth.write(json.dumps({"url": a.url, "story": a.story, "copy_of": a.copy_of}) + "\n")
    print(f"wrote {args.n} articles to {args.out}, truth in {truth_path}")


if __name__ == "__main__":
    main()
