"""Measure dateparser (a maintained library) on the TempEval-3 measures, beside Dateline's tagger.

The issue asks to measure a library before relying on it.  dateparser's `search_dates`
finds date expressions and resolves them to datetimes against a base date; its values are
turned into TIMEX3 day values (YYYY-MM-DD), the best it can express.  Reads the gold from
../shared/data in place.

    .venv/bin/python bench/compare_dateparser.py [--split test|train]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

from dateline.eval.time import SPLITS, Timex, _score, load_te3, tag

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def dateparser_timexes(text: str, dct: str | None) -> list[Timex]:
    from dateparser.search import search_dates

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if dct:
        settings["RELATIVE_BASE"] = dt.datetime.fromisoformat(dct[:10])
    found = search_dates(text, languages=["en"], settings=settings) or []
    out: list[Timex] = []
    at = 0
    for words, when in found:
        start = text.find(words, at)
        if start < 0:
            continue
        at = start + len(words)
        out.append(Timex(start, at, "DATE", when.date().isoformat()))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="test", choices=sorted(SPLITS))
    args = parser.parse_args()
    docs = load_te3(SHARED, args.split)
    for name, run in (
        ("dateparser search_dates", lambda: [dateparser_timexes(d.text, d.dct) for d in docs]),
        ("dateline times", lambda: tag(docs)),
    ):
        started = time.perf_counter()
        predictions = run()
        elapsed = time.perf_counter() - started
        score = _score(docs, predictions).score(name)
        print(
            f"{name}: value F1 {score.f1:.3f} (P {score.precision:.3f} R {score.recall:.3f}), "
            f"relaxed F1 {score.extra['relaxed F1']:.3f}, strict F1 {score.extra['strict F1']:.3f}, "
            f"{elapsed:.1f}s for {len(docs)} documents"
        )


if __name__ == "__main__":
    main()
