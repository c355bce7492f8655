"""The furniture filter after main-text extraction."""

from __future__ import annotations

import pytest

from dateline.read.boilerplate import clean_paragraphs, is_furniture
from dateline.read.text import is_prose


@pytest.mark.parametrize(
    "paragraph",
    [
        "Read more: Council approves new budget after long debate",
        "READ MORE: Storm leaves thousands without power",
        "Sign up for our free daily newsletter and get the news in your inbox.",
        "Follow us on Twitter @examplenews and on Facebook.",
        "Email Jane Doe at jdoe@example.com or follow her on Twitter.",
        "Have a tip? Send it to our newsroom.",
        "Like this story? Share it with a friend!",
        "Mayor denies claims over bridge contract [VIDEO]",
        "12 comments",
    ],
)
def test_furniture(paragraph: str) -> None:
    assert is_furniture(paragraph)


@pytest.mark.parametrize(
    "paragraph",
    [
        "- 2 cups of flour",
        "The mayor said she would read more of the report before deciding.",
        "More than 300 people attended the meeting on Tuesday.",
        "The paper's newsletter, which it started in 2019, now has 40,000 subscribers, the editor said, "
        "adding that readers sign up mostly for the weekend edition and that the number has grown "
        "every month this year despite the cuts to the newsroom and the loss of two reporters.",
    ],
)
def test_not_furniture(paragraph: str) -> None:
    assert not is_furniture(paragraph)


def test_headline_copy_dropped_once() -> None:
    body = [
        "Bridge to reopen in May",
        "The bridge will reopen in May, officials said.",
        "Read more: Other story",
    ]
    assert clean_paragraphs(body, title="Bridge to Reopen in May") == [
        "The bridge will reopen in May, officials said."
    ]


def test_prose_in_unspaced_scripts() -> None:
    assert is_prose(
        "今回はそのデスクトップアプリに関する話で、パスワード管理ソフトの起動ショートカットキーと同じなのです。"
    )
