"""Property-based fuzzing: only a `DatelineError` ever escapes the read stage and `extract`, and every fact's offsets hold.

Inputs are the project's own test pages and articles, mutated (`tests/fuzz_inputs.py`).  The
`ci` profile (default) runs a fixed sample of a few thousand cases; by hand,
`pytest tests/test_fuzz.py --hypothesis-profile=long` runs 100,000 per test (a fifth of that
for `extract`, which runs spaCy).  Every input that ever crashed is kept in
tests/data/fuzz_regressions.json and runs here each time.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dateline
from dateline.errors import DatelineError
from dateline.ingest import RawInput
from dateline.read import read
from tests.fuzz_inputs import (
    OPERATIONS,
    Plan,
    check_offsets,
    html_seeds,
    mutate_page,
    mutate_text,
    regressions,
    text_seeds,
)

plans = st.lists(
    st.tuples(
        st.integers(0, len(OPERATIONS) - 1),
        st.floats(0, 1, allow_nan=False),
        st.integers(0, 300),
        st.integers(0, 1 << 16),
    ),
    min_size=1,
    max_size=8,
)
# extract runs the spaCy pipeline: a fifth as many cases
FACT_CASES = max(50, (settings.default.max_examples or 100) // 5)


def read_or_refuse(data: bytes) -> None:
    try:
        document = read(RawInput("fuzz", data))
    except DatelineError:
        return
    assert document.text.strip()
    for paragraph in document.paragraphs:
        assert document.text[paragraph.start : paragraph.end].strip()
    document.to_json()


@given(seed=st.sampled_from(html_seeds()), plan=plans)
def test_mutated_pages_are_read_or_refused(seed: bytes, plan: Plan) -> None:
    read_or_refuse(mutate_page(seed, plan))


@given(data=st.binary(max_size=4000))
@settings(max_examples=max(50, (settings.default.max_examples or 100) // 3))
def test_any_bytes_are_read_or_refused(data: bytes) -> None:
    read_or_refuse(data)


@given(seed=st.sampled_from(text_seeds()), plan=plans)
@settings(max_examples=FACT_CASES)
def test_mutated_texts_give_facts_whose_offsets_hold(seed: str, plan: Plan) -> None:
    try:
        document = dateline.extract(mutate_text(seed, plan).encode("utf-8"), published="2021-07-27")
    except DatelineError:
        return
    check_offsets(document)


@pytest.mark.parametrize("case", regressions(), ids=lambda case: case["cause"][:40])
def test_inputs_that_once_crashed(case: dict[str, Any]) -> None:
    data = (case.get("html") or case.get("text") or "").encode("utf-8")
    if case["stage"] == "read":
        read_or_refuse(data)
        return
    try:
        document = dateline.extract(data, published="2021-07-27")
    except DatelineError:
        return
    check_offsets(document)
