"""The REST API and web UI (`dateline serve`)."""

from dateline.web.app import create_app

__all__ = ["create_app"]
