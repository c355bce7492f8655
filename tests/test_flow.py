"""The flow keeps one result per input, in input order, whatever fails in between."""

from __future__ import annotations

import multiprocessing
import os
import signal

import pytest

from dateline.flow import Options, process
from dateline.ingest import Failure, RawInput
from dateline.model import Document
from tests.conftest import DATA


@pytest.mark.parametrize("n_process", [1, 2])
def test_failures_keep_their_place(n_process: int) -> None:
    good = RawInput("good", (DATA / "dump_council.txt").read_bytes())
    other = RawInput("other", (DATA / "dump_market.txt").read_bytes())
    items: list[RawInput | Failure] = [
        Failure("missing", "no such file"),
        good,
        RawInput("empty", b""),
        Failure("gone", "no such file"),
        other,
        RawInput("binary", bytes(range(256))),
    ]
    results = list(process(items, Options(n_process=n_process, batch_size=1)))
    assert [r.source for r in results] == ["missing", "good", "empty", "gone", "other", "binary"]
    assert [type(r) for r in results] == [Failure, Document, Failure, Failure, Document, Failure]


def test_a_dead_worker_loses_no_input() -> None:
    """A worker killed mid-run: its batches run again (input by input) in new workers, in order."""
    files = sorted(DATA.glob("*.txt"))
    items: list[RawInput | Failure] = [RawInput(f.name, f.read_bytes()) for f in files]
    results = process(items, Options(facts=False, n_process=2, batch_size=1))
    first = next(results)
    (victim, *_) = multiprocessing.active_children()
    os.kill(victim.pid or 0, signal.SIGKILL)
    rest = list(results)
    assert [r.source for r in [first, *rest]] == [f.name for f in files]
    assert all(isinstance(r, Document) for r in rest)
    assert victim.pid not in [p.pid for p in multiprocessing.active_children()]
