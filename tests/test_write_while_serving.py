"""The server holds its database only while it answers: another program writes in between, and the
answers the server kept are dropped when the file changed."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient

from dateline.model import Document, content_id
from dateline.store import Store
from dateline.web import create_app
from dateline.web.app import Database
from tests.web_data import build

TEXT = "Council news\n\nThe harbour council met on Monday to discuss the new sea wall."


def test_kept_answers_follow_a_write_by_another_program(tmp_path: Path) -> None:
    db = build(tmp_path / "w.duckdb")
    with TestClient(create_app(db, token="")) as client:
        before = client.get("/stats").json()["documents"]
        time.sleep(1.0)  # past the linger: the server has let the file go
        with Store(db, wait=5) as store:  # a writer, as `dateline ingest` is
            store.add(
                [
                    Document(
                        id=content_id(TEXT),
                        text=TEXT,
                        title="Council news",
                        published="2024-05-01",
                        source="c.txt",
                    )
                ]
            )
        assert client.get("/stats").json()["documents"] == before + 1
        titles = [d["title"] for d in client.get("/documents").json()["items"]]
        assert "Council news" in titles


WRITE = f"""
import sys
import dateline.corpus  # as `dateline ingest` does: the corpus keeps its indexes in step with each batch
from dateline.model import Document, content_id
from dateline.store import Store
text = {TEXT!r}
with Store(sys.argv[1], wait=20) as store:
    print(store.add([Document(id=content_id(text), text=text, title="Council news", source="c.txt")]))
"""


def test_under_steady_reads_the_file_is_let_go_for_a_writer(tmp_path: Path) -> None:
    db = build(tmp_path / "busy.duckdb")
    database = Database(db, writable=False, linger=0.5, hold=0.5, gap=0.3)
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            with database.cursor() as cur:
                cur.execute("SELECT count(*) FROM documents").fetchone()
                time.sleep(0.02)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        time.sleep(0.3)
        # another program, as `dateline ingest` is: it gets in during one of the server's pauses
        writer = subprocess.run(
            [sys.executable, "-c", WRITE, str(db)], capture_output=True, text=True, timeout=120
        )
        assert writer.returncode == 0, writer.stderr
        assert writer.stdout.strip() == "1"
    finally:
        stop.set()
        for reader in readers:
            reader.join()
        database.close()


def test_requests_waiting_for_the_pause_let_the_file_go_once(tmp_path: Path) -> None:
    """A burst that arrives while the file has been held for long waits for one pause, not one each."""
    db = build(tmp_path / "burst.duckdb")
    pauses: list[float] = []

    class Counted(Database):
        def _close(self) -> None:
            if self._con is not None:
                pauses.append(time.monotonic())
            super()._close()

    database = Counted(db, writable=False, linger=60, hold=0.2, gap=0.05)

    def request() -> None:
        with database.cursor() as cur:
            cur.execute("SELECT count(*) FROM documents").fetchone()

    try:
        with database.cursor():  # a request in flight past `hold`: the burst queues behind it
            burst = [threading.Thread(target=request) for _ in range(10)]
            time.sleep(0.3)
            for thread in burst:
                thread.start()
            time.sleep(0.3)
        for thread in burst:
            thread.join(10)
        assert len(pauses) == 1  # before: 10 pauses, one per waiting request, 14 s for 50 clients
    finally:
        database.close()
