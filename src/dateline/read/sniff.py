"""Is it a web page?  A look at the start of a decoded input, before anything heavy is loaded."""

from __future__ import annotations

import re

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.I | re.S,
)
_TAG = re.compile(
    r"</?(?:p|div|span|a|br|body|html|head|title|script|table|li|ul|h[1-6]|article|section)\b", re.I
)


def looks_like_html(text: str) -> bool:
    head = text[:5000]
    return bool(_HTML_START.match(head)) or len(_TAG.findall(head)) >= 5
