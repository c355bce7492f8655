"""Errors that reach the user as one clear line, and the wrapping of other libraries' failures into them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager


class DatelineError(Exception):
    """An error with a message fit to show a user as it is, on one line."""


class InputError(DatelineError):
    """An input that cannot be read as an article (empty, binary, too large, ...)."""


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """`text` with its line breaks and other control characters written as escapes (`\\n`, `\\x1b`).

    A file name may hold a newline or a terminal escape: shown as it is, it would break the
    one-line-per-failure rule of the output, or act on the terminal.
    """
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def summary(exc: BaseException) -> str:
    """What an exception was, on one line: its type and the first line of its message."""
    first = str(exc).strip().splitlines()[0].strip() if str(exc).strip() else ""
    return one_line(f"{type(exc).__name__}: {first[:200]}" if first else type(exc).__name__)


def describe(exc: BaseException) -> str:
    """One line for the user; unexpected errors say what they were, without a traceback."""
    if isinstance(exc, DatelineError):
        return one_line(str(exc))
    return f"internal error ({summary(exc)})"


@contextmanager
def third_party(doing: str, error: type[DatelineError] = InputError) -> Iterator[None]:
    """Turn any failure of another library's code inside the block into `error`, saying what it was doing.

    Parsers of hostile input fail in ways their authors did not foresee (an `AssertionError` from
    lxml on a 22-byte page, a `ValueError` from a date parser): the user learns which step gave
    up on which input, in one line, and the cause stays chained for a developer.
    """
    try:
        yield
    except DatelineError:
        raise
    except Exception as exc:
        raise error(f"{doing} failed ({summary(exc)})") from exc
