"""Dateline: news in, checkable facts out, each pointing at the words it came from."""

from dateline.api import extract, extract_path, extract_text
from dateline.errors import DatelineError, InputError
from dateline.model import SCHEMA, Document

__version__ = "0.1.0"

__all__ = [
    "SCHEMA",
    "DatelineError",
    "Document",
    "InputError",
    "__version__",
    "extract",
    "extract_path",
    "extract_text",
]
