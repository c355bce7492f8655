"""The Python API: paths, text and bytes, and the README's snippet from any folder."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import dateline
from dateline.api import could_be_path
from tests.conftest import REPO


def test_a_missing_path_is_an_error_not_an_article(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    with pytest.raises(dateline.InputError, match=r"^no such file: .*nowhere\.txt$"):
        dateline.extract(str(missing), facts=False)
    with pytest.raises(dateline.InputError, match="no such file"):
        dateline.extract(missing, facts=False)
    with pytest.raises(dateline.InputError, match="no such file"):
        dateline.extract("examples/none.txt", facts=False)


def test_text_is_text_only_when_it_cannot_be_a_path(tmp_path: Path) -> None:
    assert could_be_path("examples/article.txt")
    assert not could_be_path("Headline\n\nBody of the article.")
    assert not could_be_path("x" * 5000)
    assert not could_be_path("   ")
    article = "Harbour to reopen\n\nThe harbour council said on Monday that the port would reopen.\n"
    from_text = dateline.extract(article, facts=False)
    assert from_text.title == "Harbour to reopen"
    path = tmp_path / "a.txt"
    path.write_text(article, encoding="utf-8")
    assert dateline.extract(str(path), facts=False).id == from_text.id
    assert dateline.extract_path(path, facts=False).id == from_text.id
    assert dateline.extract_text(article, facts=False).id == from_text.id
    # a one-line string is a path when asked for as one, text when asked for as text
    with pytest.raises(dateline.InputError, match="no such file"):
        dateline.extract_path("Officials said nothing.", facts=False)


def test_a_directory_is_refused_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(dateline.InputError, match=r"is a directory"):
        dateline.extract(tmp_path, facts=False)


def test_readme_python_snippet_runs_from_any_folder(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", readme, re.S)
    assert block, "the README has a Python snippet"
    ran = subprocess.run(
        [sys.executable, "-c", block.group(1)], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert ran.returncode == 0, ran.stderr
    assert "Port Veltra to reopen 2024-03-04" in ran.stdout
    assert "('Monday', '2024-03-04')" in ran.stdout
