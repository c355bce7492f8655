"""Headlines without the site's name: "Harbour bridge to close | City Daily" → "Harbour bridge to close".

Pages put their name beside the headline in <title> and often in og:title,
after or before a separator.  A part is cut only when it names the site: it
matches the site name, the publisher or the domain ("example.net"), or it is
the same on every title candidate while the rest differs.  The headline shown
on the page (<h1>) is preferred when the titles agree with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Separators between a headline and the site's name ("|", " - ", " — ", "»", "::", "Site: Headline").
_SEPARATOR = re.compile(r"\s+[|–—•·»«:~/\\-]{1,2}\s+|\s*[|»«•·]\s*|\s+::\s+|(?<=\w):\s+")
_WORD = re.compile(r"\w+")
# A site's name has at most this many words.
SITE_NAME_WORDS = 5
# A title part of at most this many words that holds the site's name is the site's name ("Rezept von Backen.de").
SITE_PHRASE_WORDS = 4
# Of several headline elements, one is taken only if at least this share of its words are in the stated titles.
SHARED_WORDS = 0.5


def words(text: str | None) -> list[str]:
    return _WORD.findall((text or "").casefold())


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def site_keys(sites: Iterable[str]) -> set[str]:
    """Site names and domains reduced to letters and digits: "heizung.de" → {"heizungde", "heizung"}."""
    keys: set[str] = set()
    for site in sites:
        keys.add(_plain(site))
        host = site.casefold().removeprefix("www.")
        if "." in host and " " not in host.strip():
            keys.add(_plain(host.rsplit(".", 1)[0]))
    return {k for k in keys if len(k) >= 3}


def is_site_name(text: str, keys: set[str]) -> bool:
    """A whole title that is only the site's name (or part of it)."""
    plain = _plain(text)
    return not plain or any(plain == k or (len(plain) >= 4 and plain in k) for k in keys)


def names_site(part: str, keys: set[str]) -> bool:
    """A title part that names the site: the site's name, part of it, or a short phrase holding it ("Rezept von Backen.de")."""
    plain = _plain(part)
    if is_site_name(part, keys):
        return True
    return len(part.split()) <= SITE_PHRASE_WORDS and any(len(k) >= 4 and k in plain for k in keys)


def strip_site(title: str, keys: set[str]) -> str:
    """The title without parts at its start or end that name the site."""
    parts = [p for p in _SEPARATOR.split(title.strip()) if p.strip()]
    if len(parts) < 2:
        return title.strip()
    while len(parts) > 1 and names_site(parts[-1], keys):
        parts.pop()
    while len(parts) > 1 and names_site(parts[0], keys):
        parts.pop(0)
    if len(parts) == len(_SEPARATOR.split(title.strip())):
        return title.strip()
    # put the kept parts back with the separators they had between them
    start = title.find(parts[0])
    end = title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if 0 <= start < end else " ".join(parts)


def ends_with(title: str, part: str, keys: set[str]) -> bool:
    """Whether a title ends with a short `part` after a separator, behind a first part that is not the site's name.

    That is how a site's name stands in its titles ("Headline | Site"); a colon
    ("Topic: Headline") introduces the headline instead.
    """
    if len(words(part)) > SITE_NAME_WORDS:
        return False
    for match in _SEPARATOR.finditer(title):
        if match.group(0).strip() == ":":
            continue
        before, after = title[: match.start()], title[match.end() :]
        if words(after) == words(part):
            return bool(words(before)) and not names_site(before, keys)
    return False


def contains(outer: str, inner: str) -> bool:
    """Whether the words of `inner` stand, in order, inside `outer`."""
    a, b = " ".join(words(outer)), " ".join(words(inner))
    return bool(b) and f" {b} " in f" {a} "
