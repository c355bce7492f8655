"""The server under load and abuse, as a real `dateline serve` process: it stays responsive and stops promptly.

`/extract` and `/ingest` run in worker processes with a time limit; reads never wait on them.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import httpx
import pytest
from fastapi.testclient import TestClient

from dateline.web import create_app
from dateline.web.app import TOKEN_ENV
from dateline.web.work import stop_idle_workers
from tests.conftest import DATA, dateline, with_env
from tests.faulty import MARKER, sitecustomize
from tests.long_article import NOT_YET_LINEAR, article
from tests.web_data import build

TOKEN = "load-test-token"
# long enough to keep a worker busy for a minute or more whatever the fact components cost
LONG = article(1_000_000, seed=2)
SHORT = (DATA / "article_port.txt").read_text(encoding="utf-8")
READS = ("/documents", "/stats", "/search?q=port", "/quotes", "/entities", "/timeline", "/trends")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    db: Path

    def workers(self) -> set[int]:
        """Process ids of the server's children (its analysis workers)."""
        children: set[int] = set()
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            text = (task / "children").read_text()
            children.update(int(pid) for pid in text.split())
        # not multiprocessing's resource tracker, also a child
        return {pid for pid in children if b"spawn_main" in _cmdline(pid)}

    def stderr(self) -> str:
        assert self.process.stderr is not None
        return self.process.stderr.read().decode(errors="replace")


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def start(stop: list[Server], tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> Server:
    """`dateline serve` over a small corpus, once it answers; `stop` gets it to stop it after the test."""
    db = tmp_path / "served.duckdb"
    if not db.exists():
        build(db)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "dateline", "serve", "--db", str(db), "--port", str(port), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=with_env({TOKEN_ENV: TOKEN, **(env or {})}),
    )
    url = f"http://127.0.0.1:{port}"
    stop.append(Server(url, process, db))
    deadline = time.monotonic() + 300
    while True:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        try:
            if httpx.get(url + "/stats", timeout=5).status_code == 200:
                return Server(url, process, db)
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.2)


@pytest.fixture
def stop() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait(30)


def wait_until(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def post_extract(url: str, text: str, timeout: float = 600) -> httpx.Response:
    return httpx.post(url + "/extract", json={"text": text}, timeout=timeout)


def ready(server: Server) -> int:
    """Wait until the analysis worker has loaded the pipeline (a short article comes back); its process id."""
    assert post_extract(server.url, SHORT).status_code == 200
    (worker,) = server.workers()
    return worker


def test_reads_answer_while_a_million_characters_are_analysed(tmp_path: Path, stop: list[Server]) -> None:
    """50 clients of reads while a 1M-character /extract runs: 0 errors, and the reads do not wait for it."""
    server = start(stop, tmp_path, "--time-limit", "90")
    ready(server)
    with ThreadPoolExecutor(1) as one:
        extract = one.submit(post_extract, server.url, LONG)
        time.sleep(1)

        def client(n: int) -> list[int]:
            with httpx.Client(base_url=server.url, timeout=120) as http:
                return [http.get(READS[(n + i) % len(READS)]).status_code for i in range(8)]

        with ThreadPoolExecutor(50) as clients:
            statuses = [s for result in clients.map(client, range(50)) for s in result]
        reads_done_first = not extract.done()
        response = extract.result()
    assert statuses.count(200) == len(statuses) == 400
    assert reads_done_first  # the reads did not queue behind the analysis
    assert response.status_code in (200, 504), response.text  # done, or stopped at the limit: never 500
    assert "detail" in response.json() or response.json()["text"] == LONG


def test_work_past_the_time_limit_is_stopped_with_504(tmp_path: Path, stop: list[Server]) -> None:
    server = start(stop, tmp_path, "--time-limit", "30")
    ready(server)
    response = post_extract(server.url, LONG * 4)  # minutes of work, whatever the machine
    assert response.status_code == 504
    assert "time limit of 30 s" in response.json()["detail"]
    # the worker that ran past the limit is gone; a new one serves the next article
    short = post_extract(server.url, SHORT)
    assert short.status_code == 200 and short.json()["title"]


def test_work_is_abandoned_when_the_client_goes(tmp_path: Path, stop: list[Server]) -> None:
    server = start(stop, tmp_path, "--time-limit", "600")
    busy = ready(server)
    with pytest.raises(httpx.ReadTimeout):
        post_extract(server.url, LONG, timeout=3)  # the client gives up and closes the connection
    # its worker is stopped at once, not left computing for minutes
    wait_until(lambda: busy not in server.workers(), 30, "the abandoned work was not stopped")
    assert post_extract(server.url, SHORT, timeout=300).status_code == 200


def test_sigterm_stops_the_server_within_seconds(tmp_path: Path, stop: list[Server]) -> None:
    server = start(stop, tmp_path, "--time-limit", "600")
    workers = {ready(server)}
    with ThreadPoolExecutor(1) as one:
        extract = one.submit(post_extract, server.url, LONG)
        time.sleep(2)  # the article is in the worker
        server.process.send_signal(signal.SIGTERM)
        began = time.monotonic()
        server.process.wait(30)
        took = time.monotonic() - began
        with pytest.raises(httpx.HTTPError):
            extract.result().raise_for_status()
    assert took < 15, f"SIGTERM took {took:.1f} s"
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
    assert "Traceback" not in server.stderr()


def test_a_lone_surrogate_is_replaced_and_the_connection_stays_usable(
    tmp_path: Path, stop: list[Server]
) -> None:
    server = start(stop, tmp_path)
    body = json.dumps({"text": SHORT.replace(" the ", " the \ud800 ", 1)}).encode()  # "\ud800" in the JSON
    assert b"\\ud800" in body
    with httpx.Client(base_url=server.url, timeout=300) as http:  # one kept-alive connection
        response = http.post("/extract", content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 200, response.text
        assert " the \ufffd " in response.json()["text"]
        assert http.get("/stats").status_code == 200
        lone = http.post(
            "/extract", content=b'{"text": "\\udfff"}', headers={"Content-Type": "application/json"}
        )
        assert lone.status_code == 422 and "detail" in lone.json()
        assert http.get("/documents").status_code == 200


def test_a_crashing_article_between_good_ones_fails_alone(tmp_path: Path, stop: list[Server]) -> None:
    """/ingest: the analysis raising on one article gives that request a one-line 422; the others are stored."""
    server = start(stop, tmp_path, env=sitecustomize(tmp_path / "hook"))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    texts = [(DATA / f"article_{n}.txt").read_text(encoding="utf-8") for n in ("election", "summit")]
    crashing = texts[0].replace("\n\n", f"\n\nThe {MARKER} delegation left early.\n\n", 1)
    with httpx.Client(base_url=server.url, timeout=300, headers=auth) as http:
        before = http.get("/stats").json()["documents"]
        first = http.post("/ingest", json={"text": texts[0]})
        crashed = http.post("/ingest", json={"text": crashing})
        last = http.post("/ingest", json={"text": texts[1]})
        after = http.get("/stats").json()["documents"]
    assert first.status_code == last.status_code == 200 and first.json()["added"] and last.json()["added"]
    assert crashed.status_code == 422
    detail = crashed.json()["detail"]
    assert "test_fail_on_marker" in detail and "\n" not in detail
    assert after == before + 2


def test_a_full_pool_answers_503(tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    build(db)
    with TestClient(create_app(db, token="", workers=1, time_limit=20, queue=0)) as client:
        pool = client.app.state.pool  # type: ignore[attr-defined]
        results: list[httpx.Response] = []
        first = threading.Thread(
            target=lambda: results.append(client.post("/extract", json={"text": LONG * 4}))
        )
        first.start()
        wait_until(lambda: pool.busy, 300, "the first article never reached a worker")
        refused = client.post("/extract", json={"text": SHORT})
        first.join()
    assert refused.status_code == 503 and refused.headers["retry-after"]
    assert "busy" in refused.json()["detail"]
    assert results[0].status_code in (200, 504)


def test_serve_on_a_database_it_cannot_open_is_one_line(tmp_path: Path) -> None:
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database at all\n" * 100)
    result = dateline("serve", "--db", str(junk), "--port", str(free_port()))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: {junk} is not a DuckDB database: give --db a Dateline database or a new file name"
    ]
    locked = tmp_path / "locked.duckdb"
    with duckdb.connect(str(locked)) as holder:  # another process's writer: here, this test's
        holder.execute("CREATE TABLE t (x INTEGER)")
        result = dateline("serve", "--db", str(locked), "--port", str(free_port()))
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: database {locked} is in use by another program (PID {os.getpid()}")


@pytest.fixture
def hooked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Analysis workers started in this test run the fact components of this branch that are linear."""
    stop_idle_workers()  # none started before may serve here, none started here may serve later
    env = with_env(sitecustomize(tmp_path / "hook", add=(), drop=tuple(NOT_YET_LINEAR)))
    assert env is not None
    monkeypatch.setenv("PYTHONPATH", env["PYTHONPATH"])
    yield
    stop_idle_workers()


@pytest.mark.usefixtures("hooked")
def test_extract_of_a_text_over_spacys_limit_is_not_an_error(tmp_path: Path) -> None:
    """Before windows, a text over 1,000,000 characters answered 500 (spaCy's E088)."""
    db = tmp_path / "d.duckdb"
    build(db)
    text = article(1_050_000, seed=4)
    with TestClient(create_app(db, token="", time_limit=1200)) as client:
        response = client.post("/extract", json={"text": text})
    assert response.status_code == 200, response.text
    document = response.json()
    assert document["text"] == text
    assert max(t["end"] for t in document["times"]) > len(text) - 5_000
