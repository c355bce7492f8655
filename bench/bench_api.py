"""Load on the REST API: a bounded number of requests from 50 concurrent clients against 127.0.0.1.

Starts `dateline serve` in a subprocess on a free port over a fresh database of
synthetic articles with hand-made quotes, then for each endpoint sends a fixed
number of requests from N clients at once and reports p50/p99 latency,
requests/s and errors.  It stops by itself.

    .venv/bin/python bench/bench_api.py [--clients 50] [--quotes 2000] [--extract 200] [--docs 300]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from dateline import corpus
from dateline.model import Document, Quote, Reference, content_id
from dateline.store import Store
from dateline.store.duck import TABLES

SPEAKERS = ["Ana Ruiz", "Tomas Lindgren", "Maria Okafor", "James Petrov", "Aisha Haddad", "Kwame Osei"]
TOPICS = ["the harbor", "the budget", "the new bridge", "rail fares", "the flood defences", "school meals"]
ARTICLE = (
    "The harbor council voted on Monday to close Port Veltra for ten days after a storm damaged two cranes.\n\n"
    '"We cannot risk another storm," council leader Ana Ruiz said on Tuesday, adding that 40 workers '
    "would be paid during the repairs.\n\n"
    "Shipping lines diverted vessels to Saltmere, about forty miles along the coast, the authority said."
)


def synthetic(n: int, seed: int = 7) -> list[Document]:
    """Articles with two quotes each, their offsets exact, spread over three months."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        speaker = rng.choice(SPEAKERS)
        words = f"We will act on {rng.choice(TOPICS)} before the summer, case {i}"
        other = f"Nobody should doubt our plan for {rng.choice(TOPICS)}, item {i}"
        text = f'Officials met on Monday.\n\n"{words}," {speaker} said.\n\n"{other}," {speaker} added.'
        quotes = []
        for said in (words, other):
            start = text.index(said)
            at = text.index(speaker, start)
            quotes.append(
                Quote(
                    kind="direct",
                    text=said,
                    start=start,
                    end=start + len(said),
                    speaker=Reference(name=speaker, start=at, end=at + len(speaker), text=speaker),
                )
            )
        day = 1 + i % 28
        docs.append(
            Document(
                id=content_id(text),
                text=text,
                title=f"Council report {i}",
                published=f"2024-0{1 + i % 3}-{day:02d}",
                source=f"bench/{i}.txt",
                quotes=quotes,
            )
        )
    return docs


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def load(
    base: str,
    requests: int,
    clients: int,
    send: Callable[[httpx.AsyncClient, int], Any],
    expected: Callable[[int, int], bool] = lambda i, status: status == 200,
) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    counter = iter(range(requests))

    async def client() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=300) as http:
            for i in counter:  # the shared iterator bounds the total, whichever client is free takes the next
                began = time.perf_counter()
                try:
                    response = await send(http, i)
                    if not expected(i, response.status_code):
                        errors.append(f"{response.status_code}: {response.text[:100]}")
                except httpx.HTTPError as exc:
                    errors.append(repr(exc))
                latencies.append(time.perf_counter() - began)

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "clients": clients,
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 1),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "seconds": round(elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--quotes", type=int, default=2000, help="requests to GET /quotes")
    parser.add_argument("--extract", type=int, default=200, help="requests to POST /extract")
    parser.add_argument("--docs", type=int, default=300, help="articles in the database")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        with Store(db) as store:
            store.add(synthetic(args.docs))
            corpus.rebuild(store.db)
            quotes = store.count("quotes")
            before = {t: store.count(t) for t in TABLES}
        port = free_port()
        env = {k: v for k, v in os.environ.items() if k != "DATELINE_INGEST_TOKEN"}
        server = subprocess.Popen(
            [sys.executable, "-m", "dateline", "serve", "--db", str(db), "--port", str(port)], env=env
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(base + "/stats", timeout=5).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.2)
            # the first extraction loads the spaCy pipeline: not part of what is measured
            httpx.post(base + "/extract", json={"text": ARTICLE}, timeout=300).raise_for_status()
            speakers = [*SPEAKERS, "Nobody Known", "'; DROP TABLE quotes; --"]

            def quotes_request(http: httpx.AsyncClient, i: int) -> Any:
                params: dict[str, Any] = {"limit": 50, "offset": (i * 7) % 40}
                if i % 3:
                    params["speaker"] = speakers[i % len(speakers)]
                if i % 5 == 0:
                    params["from"], params["to"] = "2024-02-01", "2024-02-29"
                return http.get("/quotes", params=params)

            def extract_request(http: httpx.AsyncClient, i: int) -> Any:
                return http.post("/extract", json={"text": ARTICLE.replace("ten days", f"{i % 30 + 2} days")})

            big = b'{"text": "' + b"a" * (6 * 1024 * 1024) + b'"}'
            bad: list[tuple[int, Callable[[httpx.AsyncClient], Any]]] = [
                (
                    400,
                    lambda h: h.post(
                        "/extract", content=b"{bad", headers={"Content-Type": "application/json"}
                    ),
                ),
                (
                    413,
                    lambda h: h.post("/extract", content=big, headers={"Content-Type": "application/json"}),
                ),
                (422, lambda h: h.post("/extract", json={"text": "a", "html": "b"})),
                (404, lambda h: h.get("/documents/' OR 1=1 --")),
                (404, lambda h: h.get("/entities/nope")),
                (404, lambda h: h.get("/static/%2e%2e/%2e%2e/pyproject.toml")),
                (422, lambda h: h.get("/quotes", params={"limit": 10_000})),
                (200, lambda h: h.get("/quotes", params={"speaker": "'; DROP TABLE quotes; --"})),
                (403, lambda h: h.post("/ingest", json={"text": ARTICLE})),
            ]
            results = {
                "database": {"documents": args.docs, "quotes": quotes},
                "GET /quotes": asyncio.run(load(base, args.quotes, args.clients, quotes_request)),
                "POST /extract": asyncio.run(load(base, args.extract, args.clients, extract_request)),
                "bad requests": asyncio.run(
                    load(
                        base,
                        len(bad) * 50,
                        args.clients,
                        lambda http, i: bad[i % len(bad)][1](http),
                        lambda i, status: status == bad[i % len(bad)][0],
                    )
                ),
                "server_alive_after": httpx.get(base + "/stats", timeout=30).status_code == 200,
                "cpus": os.cpu_count(),
            }
        finally:
            server.terminate()
            server.wait(timeout=30)
        # counted from the file once the server is gone, not through the server's kept answers
        with Store(db, read_only=True) as store:
            results["database_unchanged"] = before == {t: store.count(t) for t in TABLES}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
