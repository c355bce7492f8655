"""Score the read stage's metadata and main-text boundaries on trafilatura's evaluation pages.

The data set (`shared/data/metadata/README.md`) maps a page's URL to its file and
to hand-written expectations: strings the main text must contain (`with`) and
must not contain (`without`), and where annotated `title`, `author` (names
separated by "; ", empty when the page names nobody) and `date` (YYYY-MM-DD,
empty when the annotator found none).  Any entry may lack any of them: a field
is scored on the pages that have it.

Scores, per system, run on the same decoded pages in the same process:
- date: accuracy on pages with a gold date (correct / pages; a gold date written
  YYYY-DD-MM, as a few are, is read as the date it means), with the answers
  that were missing ("none") or wrong, and dates given on pages whose gold date
  is empty;
- authors: exact-set accuracy (case- and punctuation-insensitive names) on pages
  with an `author` entry, the empty set counting as an answer, and the pages
  where names were given though the gold names nobody ("invented");
- title: same words (case- and punctuation-insensitive);
- text_with / text_without: share of `with` strings found in the main text and
  of `without` strings absent from it (a refused page has no text).

Baselines: `trafilatura.bare_extraction(with_metadata=True)` (all fields) and
`htmldate.find_date(extensive_search=True)` (dates).  In `--json` the brief's
`f1` is Dateline's date accuracy and `baseline` the better date baseline.

Split: a fixed quarter of the pages, those whose URL's SHA-256 starts with a
byte divisible by 4, is held out from tuning (`in_heldout`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import htmldate
import trafilatura

from dateline.errors import DatelineError
from dateline.eval import Result, Score
from dateline.model import Document, FieldEvidence
from dateline.read import read_text
from dateline.read.decode import decode

DEFAULT_SET = Path("metadata") / "trafilatura_evaldata"
FIELDS = ("date", "authors", "title", "text_with", "text_without")
# A refused page from which trafilatura extracts more than this many characters was a real article.
REAL_ARTICLE_CHARS = 1000
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Page:
    url: str
    html: str
    gold: dict[str, Any]


@dataclass
class Reading:
    """What one system read from one page (None: the system does not read that field)."""

    date: str | None = None
    authors: list[str] | None = None
    title: str | None = None
    text: str | None = None
    refused: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def in_heldout(url: str) -> bool:
    """A fixed quarter of the pages, by a hash of their URL, that tuning never looks at."""
    return hashlib.sha256(url.encode("utf-8")).digest()[0] % 4 == 0


def dataset_dir(root: Path) -> Path:
    """`root` itself when it holds an evaldata.json (a folder in the same layout), else the default set."""
    return root if (root / "evaldata.json").is_file() else root / DEFAULT_SET


def load(root: Path, split: str = "all") -> list[Page]:
    base = dataset_dir(root)
    index = base / "evaldata.json"
    if not index.is_file():
        raise DatelineError(f"metadata evaluation set not found: no {index}")
    entries = json.loads(index.read_text(encoding="utf-8"))
    pages = []
    for url in sorted(entries):
        if split != "all" and in_heldout(url) != (split == "heldout"):
            continue
        gold = entries[url]
        path = base / "pages" / f"{gold['file']}.gz"
        if not path.is_file():
            path = base / "pages" / gold["file"]
        if not path.is_file():
            raise DatelineError(f"page of {url} not found: {path}")
        data = path.read_bytes()
        if data.startswith(b"\x1f\x8b"):
            data = gzip.decompress(data)
        try:
            html = decode(data)
        except DatelineError:
            html = data.decode("utf-8", "replace")
        pages.append(Page(url, html, gold))
    return pages


# ---- the systems -------------------------------------------------------------------------------


def read_dateline(page: Page) -> Reading:
    try:
        document = read_text(page.html, url=page.url)
    except DatelineError as exc:
        return Reading(authors=[], text="", refused=str(exc))
    return Reading(
        date=document.published,
        authors=document.authors,
        title=document.title,
        text=document.text,
        extra={"document": document},
    )


def read_trafilatura(page: Page) -> Reading:
    document = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
    if document is None or isinstance(document, dict):
        return Reading(authors=[], text="", refused="no extraction")
    authors = [a.strip() for a in (document.author or "").split(";") if a.strip()]
    return Reading(date=document.date, authors=authors, title=document.title, text=document.text or "")


def read_htmldate(page: Page) -> Reading:
    date = htmldate.find_date(page.html, url=page.url, extensive_search=True)
    return Reading(date=date)


SYSTEMS: dict[str, Callable[[Page], Reading]] = {
    "dateline read": read_dateline,
    f"trafilatura {trafilatura.__version__} metadata": read_trafilatura,
    f"htmldate {htmldate.__version__} extensive": read_htmldate,
}


# ---- scoring -----------------------------------------------------------------------------------


def words(text: str | None) -> list[str]:
    return _WORD.findall((text or "").casefold())


def name_set(names: Iterable[str]) -> frozenset[str]:
    return frozenset(n for n in (" ".join(words(name)) for name in names) if n)


def _share(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def gold_date(value: str | None) -> str:
    """The gold date as YYYY-MM-DD; a few entries swap month and day ("2022-29-11"), put back in order."""
    parts = (value or "").strip()[:10].split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts) and int(parts[1]) > 12 >= int(parts[2]):
        return f"{parts[0]}-{parts[2]}-{parts[1]}"
    return (value or "").strip()[:10]


def score_dates(pages: list[Page], readings: list[Reading]) -> dict[str, Any]:
    correct = wrong = none = undated = dated_undated = 0
    for page, reading in zip(pages, readings, strict=True):
        if "date" not in page.gold:
            continue
        gold = gold_date(page.gold["date"])
        answer = (reading.date or "")[:10]
        if not gold:
            undated += 1
            dated_undated += bool(answer)
        elif not answer:
            none += 1
        elif answer == gold:
            correct += 1
        else:
            wrong += 1
    dated = correct + wrong + none
    return {
        "accuracy": _share(correct, dated),
        "pages": dated,
        "correct": correct,
        "wrong": wrong,
        "none": none,
        "undated_pages": undated,
        "dates_on_undated": dated_undated,
    }


def score_authors(pages: list[Page], readings: list[Reading]) -> dict[str, Any]:
    exact = pages_with = exact_named = named = invented = nobody = 0
    for page, reading in zip(pages, readings, strict=True):
        if "author" not in page.gold or reading.authors is None:
            continue
        gold = name_set((page.gold["author"] or "").split(";"))
        answer = name_set(reading.authors)
        pages_with += 1
        exact += answer == gold
        if gold:
            named += 1
            exact_named += answer == gold
        else:
            nobody += 1
            invented += bool(answer)
    return {
        "accuracy": _share(exact, pages_with),
        "pages": pages_with,
        "exact": exact,
        "accuracy_named": _share(exact_named, named),
        "named_pages": named,
        "nobody_pages": nobody,
        "invented": invented,
    }


def score_titles(pages: list[Page], readings: list[Reading]) -> dict[str, Any]:
    same = total = 0
    for page, reading in zip(pages, readings, strict=True):
        if not page.gold.get("title") or (reading.title is None and reading.text is None):
            continue
        total += 1
        same += words(reading.title) == words(page.gold["title"])
    return {"accuracy": _share(same, total), "pages": total, "same_words": same}


def _flat(text: str) -> str:
    return " ".join(text.split())


def score_text(pages: list[Page], readings: list[Reading], key: str) -> dict[str, Any]:
    good = total = 0
    for page, reading in zip(pages, readings, strict=True):
        if reading.text is None:
            continue
        text = _flat(reading.text)
        for expected in page.gold.get(key) or []:
            total += 1
            found = _flat(expected) in text
            good += found if key == "with" else not found
    return {"accuracy": _share(good, total), "strings": total, "good": good}


SCORERS: dict[str, Callable[[list[Page], list[Reading]], dict[str, Any]]] = {
    "date": score_dates,
    "authors": score_authors,
    "title": score_titles,
    "text_with": lambda pages, readings: score_text(pages, readings, "with"),
    "text_without": lambda pages, readings: score_text(pages, readings, "without"),
}


def _applies(name: str, readings: list[Reading]) -> bool:
    return any(getattr(r, name, None) is not None for r in readings)


def field_scores(pages: list[Page], runs: dict[str, list[Reading]]) -> dict[str, dict[str, Any]]:
    """For each field, each system's figures (systems that do not read the field are left out)."""
    attribute = {
        "date": "date",
        "authors": "authors",
        "title": "title",
        "text_with": "text",
        "text_without": "text",
    }
    scores: dict[str, dict[str, Any]] = {}
    for name in FIELDS:
        scores[name] = {
            system: SCORERS[name](pages, readings)
            for system, readings in runs.items()
            if _applies(attribute[name], readings) or (name == "title" and _applies("text", readings))
        }
    return scores


def by_source(pages: list[Page], readings: list[Reading]) -> dict[str, dict[str, int | float]]:
    """Dateline's accuracy per field and evidence source, alone or with other sources agreeing.

    "date json-ld agreed": pages whose date came from JSON-LD with another source
    giving the same day.  These shares, measured on the tuning part, are the
    confidences the read stage gives (read/data/confidence.tsv).
    """
    counts: dict[str, list[int]] = {}

    def count(field_name: str, evidence: FieldEvidence | None, right: bool) -> None:
        if evidence is None:
            return
        key = f"{field_name} {evidence.source} {'agreed' if evidence.agreeing else 'alone'}"
        counts.setdefault(key, [0, 0])
        counts[key][0] += right
        counts[key][1] += 1

    for page, reading in zip(pages, readings, strict=True):
        document = reading.extra.get("document")
        if not isinstance(document, Document):
            continue
        evidence = document.metadata
        if page.gold.get("date"):
            count("date", evidence.published, (document.published or "")[:10] == gold_date(page.gold["date"]))
        if "author" in page.gold:
            gold = name_set((page.gold["author"] or "").split(";"))
            count("authors", evidence.authors, name_set(document.authors) == gold)
        if page.gold.get("title"):
            count("title", evidence.title, words(document.title) == words(page.gold["title"]))
        if page.gold.get("sitename"):
            count("publisher", evidence.publisher, words(document.publisher) == words(page.gold["sitename"]))
    return {k: {"right": r, "pages": n, "accuracy": r / n} for k, (r, n) in sorted(counts.items())}


def refusals(pages: list[Page], runs: dict[str, list[Reading]]) -> dict[str, Any]:
    """Pages Dateline refused, and those among them from which trafilatura extracts a real article."""
    ours, theirs = runs["dateline read"], next(r for n, r in runs.items() if n.startswith("trafilatura"))
    refused = [(p, o, t) for p, o, t in zip(pages, ours, theirs, strict=True) if o.refused is not None]
    real = [(p, t) for p, _, t in refused if len(t.text or "") > REAL_ARTICLE_CHARS]
    return {
        "refused": len(refused),
        "refused_real_articles": len(real),
        "refused_real_article_urls": [f"{p.url} ({len(t.text or '')} chars)" for p, t in real],
    }


def evaluate(root: Path, split: str = "all") -> Result:
    if split not in ("all", "tune", "heldout"):
        raise DatelineError(f"unknown split {split!r}: use all, tune or heldout")
    pages = load(root, split)
    runs = {name: [system(page) for page in pages] for name, system in SYSTEMS.items()}
    fields = field_scores(pages, runs)
    dates = fields["date"]

    def date_score(name: str) -> Score:
        figures = dates[name]
        answered = figures["correct"] + figures["wrong"]
        precision = figures["correct"] / answered if answered else 0.0
        extra = {f: fields[f][name]["accuracy"] for f in FIELDS[1:] if name in fields[f]}
        return Score(name, precision, figures["accuracy"], figures["accuracy"], extra=extra)

    baselines = sorted((n for n in runs if n != "dateline read"), key=lambda n: -dates[n]["accuracy"])
    return Result(
        area="metadata",
        system=date_score("dateline read"),
        baseline=date_score(baselines[0]),
        others=[date_score(n) for n in baselines[1:]],
        details={
            "pages": len(pages),
            "split": split,
            **refusals(pages, runs),
            "by_source": by_source(pages, runs["dateline read"]),
        },
        notes=[
            "precision / recall / F1 columns: dates (correct of dates given / correct of dated pages / accuracy);"
            " authors, title, text_with, text_without: accuracy (see `fields` in --json)"
        ],
        fields=fields,
    )
