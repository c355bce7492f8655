"""Does spaCy's PERSON recogniser help the read stage's author names?  Measured, not used.

The read stage keeps people's names from bylines by general rules
(`dateline.read.names`).  This script asks whether the NLP pipeline's model
(en_core_web_sm) agrees on top: a name is kept only if the model tags it
PERSON in "By NAME.".  Scored as `dateline eval metadata` scores authors
(exact name set) on the tuning part of the metadata set.

    .venv/bin/python bench/compare_person_filter.py [--split tune]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import spacy

from dateline.eval import data_root
from dateline.eval.metadata import load, name_set, read_dateline
from dateline.nlp.pipeline import DEFAULT_MODEL


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="tune", choices=["tune", "heldout", "all"])
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args()
    nlp = spacy.load(DEFAULT_MODEL, disable=["parser", "lemmatizer"])
    rules = filtered = pages = 0
    for page in load(data_root(args.data), args.split):
        if "author" not in page.gold:
            continue
        gold = name_set((page.gold["author"] or "").split(";"))
        authors = read_dateline(page).authors or []
        people = [
            a for a in authors if any(e.label_ == "PERSON" and e.text == a for e in nlp(f"By {a}.").ents)
        ]
        pages += 1
        rules += name_set(authors) == gold
        filtered += name_set(people) == gold
    print(f"{pages} pages with gold authors ({args.split}): exact-set accuracy")
    print(f"  rules only:                     {rules / pages:.3f}")
    print(f"  rules + {DEFAULT_MODEL} PERSON: {filtered / pages:.3f}")


if __name__ == "__main__":
    main()
