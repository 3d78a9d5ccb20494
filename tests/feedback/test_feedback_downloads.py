"""The comparison kept at close as xlsx and CSV: only after close and only when it is shown, only for
the supporter; a hidden comment without its text, a formula-like comment guarded, a script plain text."""

from __future__ import annotations

import codecs
import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from bansou.accounts.models import User
from bansou.feedback.models import Comment, FeedbackRequest
from tests.feedback.test_feedback_flow import answer, make_request

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.com","x")'
SCRIPT = "<script>alert(1)</script>よく聞いてくださる"
SECRET = "隠したいコメント"


def urls(made: FeedbackRequest) -> dict[str, str]:
    return {
        name: reverse(f"feedback:{name}", args=[made.public_id])
        for name in ("comparison_xlsx", "comparison_csv", "comments_csv")
    }


@pytest.fixture
def closed(supporter: tuple[User, Client]) -> tuple[FeedbackRequest, Client]:
    _user, client = supporter
    made, codes = make_request(client)
    for code, comment in zip(codes, (FORMULA, SCRIPT, SECRET), strict=False):
        answer(code, comment=comment)
    for url in urls(made).values():
        assert client.get(url).status_code == 404  # nothing before close
    client.post(reverse("feedback:close", args=[made.public_id]))
    hidden = Comment.objects.get(text=SECRET)
    client.post(reverse("feedback:hide_comment", args=[made.public_id, hidden.public_id]), {"hidden": "1"})
    made.refresh_from_db()
    return made, client


def test_the_workbook_has_the_comparison_and_the_comments(closed: tuple[FeedbackRequest, Client]) -> None:
    made, client = closed
    page = client.get(reverse("feedback:detail", args=[made.public_id])).content.decode()
    assert urls(made)["comparison_xlsx"] in page and urls(made)["comments_csv"] in page
    response = client.get(urls(made)["comparison_xlsx"])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="bansou-feedback-')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["比較", "コメント", "メタデータ"]
    rows = list(book["比較"].iter_rows(values_only=True))
    assert rows[0] == (
        "集計の範囲", "回答数", "項目コード", "項目", "自分（実践）",
        "周り：「できていると感じる」", "周り：判断した人", "わからない", "位置",
    )  # fmt: skip
    assert [r[2] for r in rows[1:]] == made.items
    assert all(r[0] == "全体" and r[1] == 3 and r[5] == 3 and r[6] == 3 and r[7] == 0 for r in rows[1:])
    assert {r[4] for r in rows[1:]} <= {"○", "×", "—"}
    comments = list(book["コメント"].iter_rows(values_only=True))
    assert comments[0] == ("項目コード", "項目", "表示", "コメント")
    texts = {r[3] for r in comments[1:]}
    assert texts == {FORMULA, SCRIPT, None}  # the hidden one without its text
    assert ("非表示", None) in {(r[2], r[3]) for r in comments[1:]}
    (formula,) = [c for row in book["コメント"].iter_rows() for c in row if c.value == FORMULA]
    assert formula.data_type == "s"  # text, never a formula
    assert SECRET.encode() not in response.content


def test_the_csv_files_have_a_bom_a_guard_and_plain_text(closed: tuple[FeedbackRequest, Client]) -> None:
    made, client = closed
    body = client.get(urls(made)["comments_csv"]).content
    assert body.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["項目コード", "項目", "表示", "コメント"]
    texts = {r[3] for r in rows[1:]}
    assert "'" + FORMULA in texts and FORMULA not in texts  # guarded: a spreadsheet shows it as text
    assert SCRIPT in texts and "" in texts
    assert SECRET not in body.decode("utf-8-sig")
    comparison = client.get(urls(made)["comparison_csv"]).content
    assert comparison.startswith(codecs.BOM_UTF8)
    table = list(csv.reader(io.StringIO(comparison.decode("utf-8-sig"))))
    assert table[0][:2] == ["集計の範囲", "回答数"] and len(table) == 1 + len(made.items)


def test_downloads_are_the_supporters_alone(closed: tuple[FeedbackRequest, Client]) -> None:
    made, _client = closed
    other = Client()
    other.force_login(User.objects.create_user(username="suzuki", password="pw-0123456789"))
    for url in urls(made).values():
        assert other.get(url).status_code == 404
        assert Client().get(url).status_code == 302  # to the login


def test_nothing_to_download_when_nothing_is_shown(supporter: tuple[User, Client]) -> None:
    _user, client = supporter
    made, codes = make_request(client)
    answer(codes[0])
    answer(codes[1])
    client.post(reverse("feedback:close", args=[made.public_id]))
    made.refresh_from_db()
    assert made.closed and not made.comparison["shown"]
    page = client.get(reverse("feedback:detail", args=[made.public_id])).content.decode()
    for url in urls(made).values():
        assert url not in page
        assert client.get(url).status_code == 404
