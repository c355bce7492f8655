"""Build `src/dateline/facts/data/event_patterns.tsv` from PETRARCH2's CAMEO verb dictionaries (run by hand).

Usage: `.venv/bin/python scripts/petrarch_patterns.py ../shared/data/events > src/dateline/facts/data/event_patterns.tsv`

Reads `petrarch2_dictionaries/CAMEO.2.0.txt` (PETRARCH2's default verb dictionary), adds the verbs of
`CAMEO.verbpatterns.150430.txt` that 2.0 lacks, and maps each CAMEO code to PLOVER with
`plover_gsr/CAMEO2PLOVER-2021.txt` (longest prefix; CAMEO 02 appeals, which the table leaves out, are PLOVER's
REQUEST; CAMEO 01 statements, which PLOVER does not code, become OTHER).  The dictionaries are MIT licensed (c) 2014-2015 Open Event
Data Alliance; the notice is copied into the table's header.

Dictionary format (PETRARCH2 `read_verb_dictionary`): a block `--- NAME [code] ---` lists verbs
(irregular forms in braces; `+A_B` a multi-word verb) and patterns `- subject * object [code]`,
where `*` is the verb, `(PREP WORDS)` a prepositional phrase, `{A B}` a noun phrase, `&SET` a
synonym set, `$`/`+`/`%`/`^` mark source, target, compound and skipped words.  A word ending in `_`
matches only itself; others match as prefixes (TABARI's stemming).  Each pattern becomes a row of
required words on the subject side and on the object side (synonym sets expanded), which
`dateline.facts.eventtables.patterns` matches over the dependency parse.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

MARKERS = {"$", "+", "%", "^", "*", "-", "="}
BLOCK = re.compile(r"^---\s+(\S.*?)\s+\[([^\]]*)\]\s*---")
PATTERN = re.compile(r"^-\s*(.*?)\s*\[([^\]]*)\]")


def synonym_sets(lines: list[str]) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    current: str | None = None
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if line.startswith("&") and not line.startswith("&&"):
            current = line.split()[0]
            sets[current] = []
        elif line.startswith("+") and current is not None:
            sets[current].append(line[1:].split()[0])
        elif not line:
            current = None
    return sets


def _word(word: str) -> str:
    """A dictionary word as the table writes it: lower case, "=" at the end when it must match exactly."""
    exact = word.endswith("_")
    word = word.strip("_").lower()
    if "_" in word:  # a multi-word member of a set: keep its longest word
        word = max(word.split("_"), key=len)
    return f"{word}=" if exact else word


def _items(words: list[str], sets: dict[str, list[str]]) -> list[str]:
    items = []
    for word in words:
        word = word.strip("(){}")
        if not word or word in MARKERS or not any(c.isalpha() for c in word):
            continue
        if word.startswith("&"):
            name = word if word in sets else word.rstrip("_")
            if sets.get(name):
                items.append(name.lower())
            continue
        for part in word.strip("*").split("_") if word.startswith("*") else [word]:
            if part and part not in MARKERS:
                items.append(_word(part) if not word.endswith("_") else _word(part + "_"))
    return items


def _code(field: str) -> str | None:
    first, _, second = field.partition(":")
    code = first.strip() or second.strip()
    return code if code.isdigit() else None


Pattern = tuple[str, str, str]  # subject words, object words, CAMEO code ("-" for none)


def read_dictionary(
    path: Path, prefix: str = ""
) -> tuple[dict[str, list[str]], dict[str, list[Pattern]], dict[str, list[str]]]:
    """(verb -> its blocks, block -> patterns, synonym sets).  A verb is a lemma, with its particle
    or further words after a space ("drop off")."""
    text = path.read_text(encoding="latin-1")
    head, _, body = text.partition("####### VERB PATTERNS #######")
    body = body.split("######## TRANSFORMATIONS", 1)[0]
    sets = synonym_sets((head + body).splitlines())
    verbs: dict[str, list[str]] = {}
    blocks: dict[str, list[Pattern]] = {}
    name = ""
    for raw in body.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        match = BLOCK.match(line)
        if match:
            name = prefix + match.group(1).strip().lower().replace(" ", "_")
            while name in blocks:  # a block name used twice: keep both
                name += "'"
            default = _code(match.group(2))
            blocks[name] = [("", "", default)] if default else []
            continue
        pattern = PATTERN.match(line)
        if pattern and name:
            words, code = pattern.group(1).split(), _code(pattern.group(2))
            if "*" not in " ".join(words):
                continue
            star = next(i for i, w in enumerate(words) if "*" in w)
            blocks[name].append(
                (" ".join(_items(words[:star], sets)), " ".join(_items(words[star:], sets)), code or "-")
            )
            continue
        if name and (line[:1].isalpha() or line.startswith("+")):
            first = line.lstrip("+").split("{", 1)[0].split()[0]
            verb = " ".join(p for p in first.lower().split("_") if p)
            if name not in verbs.setdefault(verb, []):
                verbs[verb].append(name)
    return verbs, blocks, sets


def plover_table(path: Path) -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0]
        code, sep, rest = line.partition(":")
        if sep and code.strip().isdigit():
            fields = [f.strip() for f in rest.split(",")]
            table.setdefault(code.strip(), (fields[0], fields[1] if len(fields) > 1 else ""))
    return table


def plover_of(code: str, table: dict[str, tuple[str, str]]) -> tuple[str, str]:
    if code.startswith("02"):  # appeals: PLOVER's REQUEST covers CAMEO 02 (appeal) and 10 (demand)
        return "REQUEST", "appeal"
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return "OTHER", ""


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/events")
    folder = root / "petrarch2_dictionaries"
    verbs, blocks, sets = read_dictionary(folder / "CAMEO.2.0.txt")
    older, older_blocks, older_sets = read_dictionary(folder / "CAMEO.verbpatterns.150430.txt", "old:")
    added = sorted(set(older) - set(verbs))
    for verb in added:
        verbs[verb] = older[verb]
        for name in older[verb]:
            blocks[name] = older_blocks[name]
    for name, members in older_sets.items():
        sets.setdefault(name, members)
    table = plover_table(root / "plover_gsr" / "CAMEO2PLOVER-2021.txt")
    licence = (folder / "LICENSE").read_text(encoding="utf-8").strip().splitlines()
    print("# CAMEO verb patterns with PLOVER types (generated, do not edit).")
    print("# Made by scripts/petrarch_patterns.py from PETRARCH2's dictionaries (github.com/openeventdata/")
    print("# petrarch2, petrarch2/data/dictionaries, commit 676801cd9cb2924bbbad09f86d15c9323e7097bf):")
    print(f"# CAMEO.2.0.txt, plus {len(added)} verbs from CAMEO.verbpatterns.150430.txt that it lacks;")
    print("# CAMEO codes mapped to PLOVER with CAMEO2PLOVER-2021.txt (OEDA, CC BY-SA 4.0).")
    print("# Three kinds of row (tab separated):")
    print("#   &set    members (a|b|c): a synonym set")
    print("#   =verb   blocks: a verb (lemma, then particle or further words) and the blocks it belongs to")
    print("#   block   subject-side words, object-side words, CAMEO code, PLOVER type, mode: a pattern;")
    print("#           words are space separated, &set names a set, a word matches as a prefix unless it")
    print("#           ends in =; a pattern with no words is the block's default.  Most specific first.")
    print("#")
    for line in licence:
        print(f"# {line}".rstrip())
    for name in sorted(sets):
        if sets[name]:
            print(f"{name.lower()}\t" + "|".join(sorted({_word(m) for m in sets[name]})))
    for verb in sorted(verbs):
        print(f"={verb}\t" + " ".join(verbs[verb]))
    used = sorted({name for names in verbs.values() for name in names})
    for name in used:
        rows = blocks[name]
        order = sorted(range(len(rows)), key=lambda i: (-len((rows[i][0] + " " + rows[i][1]).split()), i))
        seen = set()
        for i in order:
            subject, obj, code = rows[i]
            if (subject, obj) in seen:
                continue
            seen.add((subject, obj))
            plover, mode = plover_of(code, table) if code != "-" else ("-", "")
            print("\t".join([name, subject or "-", obj or "-", code, plover, mode or "-"]))


if __name__ == "__main__":
    main()
