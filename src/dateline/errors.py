"""Errors that reach the user as one clear line."""


class DatelineError(Exception):
    """An error with a message fit to show a user as it is, on one line."""


class InputError(DatelineError):
    """An input that cannot be read as an article (empty, binary, too large, ...)."""
