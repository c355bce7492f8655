"""Build `src/dateline/facts/data/event_nouns.tsv` from WordNet 3.0 (run by hand).

Usage: `apt-get install wordnet-base` (Debian's WordNet 3.0 database, offline), then
`.venv/bin/python scripts/wordnet_event_nouns.py [/usr/share/wordnet] > src/dateline/facts/data/event_nouns.tsv`.

A noun is listed as an event noun when one of its two most frequent senses (WordNet orders senses
by tagged frequency) is an act, event, process or phenomenon (lexicographer files noun.act,
noun.event, noun.process, noun.phenomenon), or is a state or communication that WordNet links
to a verb it derives from ("bankruptcy", "statement", "announcement").  The rule was chosen on the
tune part of MEANTIME (see `dateline.eval.meantime_events`); the list is data, the rule is here.
Only single-word lemmas are written.  WordNet's licence (below) travels with the table.
"""

from __future__ import annotations

import sys
from pathlib import Path

EVENTS = {4: "act", 11: "event", 22: "process", 19: "phenomenon"}
DERIVED = {26: "state", 10: "communication"}
SENSES = 2
LICENCE = """\
# Permission to use, copy, modify and distribute this software and
# database and its documentation for any purpose and without fee or
# royalty is hereby granted, provided that you agree to comply with
# the following copyright notice and statements, including the disclaimer,
# and that the same appear on ALL copies of the software, database and
# documentation, including modifications that you make for internal
# use or for distribution.
#
# WordNet 3.0 Copyright 2006 by Princeton University.  All rights reserved.
#
# THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON
# UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR
# IMPLIED.  BY WAY OF EXAMPLE, BUT NOT LIMITATION, PRINCETON
# UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES OF MERCHANT-
# ABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT THE USE
# OF THE LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL NOT
# INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR
# OTHER RIGHTS.
#
# The name of Princeton University or Princeton may not be used in
# advertising or publicity pertaining to distribution of the software
# and/or database.  Title to copyright in this software, database and
# any associated documentation shall at all times remain with
# Princeton University and LICENSEE agrees to preserve same."""


def synsets(folder: Path) -> dict[str, tuple[int, bool]]:
    """Synset offset -> (lexicographer file number, whether it points to a verb it derives from)."""
    out: dict[str, tuple[int, bool]] = {}
    for line in (folder / "data.noun").read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue
        fields = line.split("|", 1)[0].split()
        words = int(fields[3], 16)
        count = int(fields[4 + 2 * words])
        pointers = fields[5 + 2 * words : 5 + 2 * words + 4 * count]
        to_verb = any(pointers[i] == "+" and pointers[i + 2] == "v" for i in range(0, len(pointers), 4))
        out[fields[0]] = (int(fields[1]), to_verb)
    return out


def event_nouns(folder: Path) -> list[tuple[str, str]]:
    table = synsets(folder)
    found = []
    for line in (folder / "index.noun").read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue
        fields = line.split()
        lemma, senses, pointers = fields[0], int(fields[2]), int(fields[3])
        if "_" in lemma or not lemma.isascii() or not lemma.replace("-", "").isalpha():
            continue
        offsets = fields[6 + pointers : 6 + pointers + senses]
        for rank, offset in enumerate(offsets[:SENSES], 1):
            lexfile, derived = table[offset]
            if lexfile in EVENTS or (lexfile in DERIVED and derived):
                found.append((lemma, f"{EVENTS.get(lexfile) or DERIVED[lexfile]}:{rank}"))
                break
    return found


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet")
    print("# Event nouns: nouns whose frequent senses denote something happening (generated, do not edit).")
    print("# Made by scripts/wordnet_event_nouns.py from WordNet 3.0 (Debian package wordnet-base).")
    print("# Columns: lemma, the WordNet class and sense rank that made it an event noun.")
    print(LICENCE)
    for lemma, why in event_nouns(folder):
        print(f"{lemma}\t{why}")


if __name__ == "__main__":
    main()
