"""Small articles and containers for the corpus tests, written here (no gold data)."""

from __future__ import annotations

import gzip
import io
import json
from datetime import UTC
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ARTICLES = [
    (
        "Harbor authority closes Port Veltra after storm",
        "2024-03-04",
        "The harbor authority closed Port Veltra on Monday after a storm damaged two of its cranes and a sea wall.\n\n"
        "Director Ana Ruiz said the port would stay shut for at least ten days while engineers checked the quays.\n\n"
        "Shipping lines diverted container vessels to Saltmere, about forty miles along the coast.",
    ),
    (
        "Veltra dockers fear lost wages during closure",
        "2024-03-06",
        "Dockers at Port Veltra said they feared losing a fortnight of wages while the storm-damaged port stays closed.\n\n"
        "Their union asked the harbor authority to pay crews during the repairs to the sea wall and cranes.\n\n"
        "Ana Ruiz said talks with the union would begin on Thursday.",
    ),
    (
        "Orchestra names new conductor for autumn season",
        "2024-05-20",
        "The city orchestra named Tomas Lindgren as its principal conductor, starting with the autumn season.\n\n"
        "Lindgren, who has led ensembles in Bergen and Turin, said he wanted to bring more new music to the hall.\n\n"
        "Tickets for the opening concerts go on sale in July, the orchestra said.",
    ),
]


def page(title: str, published: str, body: str) -> str:
    return f"{title}\nPublished {published}\n\n{body}\n"


def html(title: str, published: str, body: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f"<html><head><title>{title}</title><meta property='article:published_time' content='{published}'></head>"
        f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    ).encode()


def wire_copy(body: str) -> str:
    """What an agency copy looks like: a dateline in front, a word changed by a subeditor."""
    paragraphs = body.split("\n\n")
    last = paragraphs[-1].replace(" about ", " some ", 1)
    return "\n\n".join(["SALTMERE (Wire) — " + paragraphs[0], *paragraphs[1:-1], last])


def warc(path: Path, gzipped: bool, articles: list[tuple[str, str, str]] = ARTICLES) -> list[int]:
    """Write a WARC of HTML responses (plus a request record to skip); returns each record's offset."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    offsets = []
    for i, (title, published, body) in enumerate(articles):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        offsets.append(buffer.tell())
        writer.write_record(
            writer.create_warc_record(
                f"https://news.example/{i}",
                "response",
                payload=io.BytesIO(html(title, published, body)),
                http_headers=http,
            )
        )
        writer.write_record(
            writer.create_warc_record(f"https://news.example/{i}", "request", payload=io.BytesIO(b"GET /"))
        )
    path.write_bytes(buffer.getvalue())
    return offsets


def rss(path: Path, items: list[str], broken: bool = False) -> None:
    body = "".join(items)
    tail = "" if broken else "</channel></rss>"
    path.write_text(
        f'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Feed</title>{body}{tail}',
        encoding="utf-8",
    )


def rss_item(title: str, published: str, body: str, link: str = "https://news.example/x") -> str:
    from datetime import datetime
    from email.utils import format_datetime
    from xml.sax.saxutils import escape

    when = format_datetime(datetime.fromisoformat(published).replace(tzinfo=UTC))
    content = escape("".join(f"<p>{p}</p>" for p in body.split("\n\n")))
    return f"<item><title>{escape(title)}</title><link>{escape(link)}</link><pubDate>{when}</pubDate><description>{content}</description></item>"


def jsonl(
    path: Path, articles: list[tuple[str, str, str]] = ARTICLES, extra: list[str] | None = None
) -> None:
    lines = [
        json.dumps({"url": f"https://j.example/{i}", "title": t, "text": b, "published": p})
        for i, (t, p, b) in enumerate(articles)
    ]
    path.write_text("\n".join([*lines, *(extra or [])]) + "\n", encoding="utf-8")


def gz(data: bytes) -> bytes:
    return gzip.compress(data)
