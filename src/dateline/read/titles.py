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

# Separators between a headline and the site's name ("|", " - ", " — ", "»", "::").
_SEPARATOR = re.compile(r"\s+[|–—•·»«:~/\\-]{1,2}\s+|\s*[|»«•·]\s*|\s+::\s+")
_WORD = re.compile(r"\w+")
# The visible headline is taken over a title that holds it when it has at least this many words.
MIN_HEADLINE_WORDS = 2


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


def names_site(part: str, keys: set[str]) -> bool:
    """A title part that is the site's name: equal to one, holding one, or held by one."""
    plain = _plain(part)
    if not plain:
        return True
    return any(plain == k or (len(k) >= 4 and k in plain) or (len(plain) >= 4 and plain in k) for k in keys)


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


def common_suffix(titles: list[str]) -> str | None:
    """A last part shared by titles whose first parts differ: the site's name, whatever it is called."""
    lasts = {_SEPARATOR.split(t.strip())[-1].strip() for t in titles if len(_SEPARATOR.split(t.strip())) > 1}
    firsts = {_SEPARATOR.split(t.strip())[0].strip() for t in titles}
    return next(iter(lasts)) if len(lasts) == 1 and len(firsts) > 1 else None


def contains(outer: str, inner: str) -> bool:
    """Whether the words of `inner` stand, in order, inside `outer`."""
    a, b = " ".join(words(outer)), " ".join(words(inner))
    return bool(b) and f" {b} " in f" {a} "
