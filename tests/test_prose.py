"""The prose test that separates article lines from chrome, in scripts written without spaces."""

from dateline.read.text import is_prose


def test_prose_in_unspaced_scripts() -> None:
    assert is_prose(
        "今回はそのデスクトップアプリに関する話で、パスワード管理ソフトの起動ショートカットキーと同じなのです。"
    )
    assert not is_prose("ショートカットキー")
