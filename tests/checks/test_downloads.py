"""A check's answers as downloads (checks.downloads): xlsx reopened with openpyxl, CSV read back with the
csv module in UTF-8 with BOM and in CP932, only for the holder; and the blank fill-in workbook."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.domain.framework import Axis, Framework
from bansou.reports import render
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def some_no(framework: Framework) -> Callable[[str, Axis], int]:
    first = next(framework.items()).code
    return lambda code, axis: 0 if code == first else 1


def xlsx_of(body: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(body))


def test_a_check_as_xlsx_follows_the_machine_readable_layout(
    owner_client: Client, owner: User, submitted: Callable[..., Check], framework: Framework
) -> None:
    check = submitted(owner, some_no(framework))
    response = owner_client.get(reverse("checks:answers_xlsx", args=[check.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == render.XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="bansou-check-')
    book = xlsx_of(response.content)
    assert book.sheetnames == ["回答", "コード表", "メタデータ"]
    answers = book["回答"]
    header = [c.value for c in answers[1]]
    assert header == [
        "回答者ID",
        "チェックID",
        "提出日時",
        "年度",
        "フレームワークの版",
        "エレメント番号",
        "エレメント名",
        "項目コード",
        "項目名",
        "軸コード",
        "軸",
        "回答コード",
        "回答",
    ]
    rows = [[c.value for c in row] for row in answers.iter_rows(min_row=2)]
    items = list(framework.items())
    assert len(rows) == 2 * len(items)
    first = items[0]
    assert rows[0][0] == "owner" and rows[0][1] == str(check.public_id)
    assert rows[0][2].endswith("+09:00")  # ISO 8601, JST
    assert rows[0][3] == check.fiscal_year and rows[0][7] == first.code
    element = framework.element(first.element) if first.element else None
    assert rows[0][5] == first.element and rows[0][6] == (element.name if element else None)
    assert {tuple(r[7:]) for r in rows if r[7] == first.code} == {
        (first.code, first.name, "understanding", "理解", "0", "いいえ"),
        (first.code, first.name, "practice", "実践", "0", "いいえ"),
    }
    for row in answers.iter_rows(min_row=2):
        assert row[11].data_type == "s" and row[7].data_type == "s"
    codes = {(r[0].value, r[1].value): r[2].value for r in book["コード表"].iter_rows(min_row=2)}
    assert codes[("回答コード", "1")] == "はい" and codes[("軸コード", "practice")].startswith("実践")
    assert codes[("項目コード", first.code)] == first.name
    meta = {r[0].value: r[1].value for r in book["メタデータ"].iter_rows(min_row=2)}
    assert meta["フレームワーク"] == framework.title and meta["出典"] == framework.source
    assert "+09:00" in meta["出力日時（日本時間）"]


def test_a_check_as_csv_in_both_encodings(
    owner_client: Client, owner: User, submitted: Callable[..., Check], framework: Framework
) -> None:
    check = submitted(owner)
    utf8 = owner_client.get(reverse("checks:answers_csv", args=[check.public_id]))
    assert utf8["Content-Type"] == "text/csv; charset=utf-8" and utf8.content.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(utf8.content.decode("utf-8-sig"), newline="")))
    assert rows[0][0] == "回答者ID" and len(rows) == 1 + 2 * len(list(framework.items()))
    # Beside each code, its words: the file reads on its own in Excel.
    header = rows[0]
    first = next(framework.items())
    line = dict(zip(header, rows[1], strict=True))
    assert line["項目コード"] == first.code and line["項目名"] == first.name
    assert line["エレメント番号"] == str(first.element)
    assert line["エレメント名"] == (framework.element(first.element).name if first.element else "")
    assert (line["軸コード"], line["軸"]) == ("understanding", "理解")
    assert (line["回答コード"], line["回答"]) == ("1", framework.scale.label_of(1))
    sjis = owner_client.get(reverse("checks:answers_csv", args=[check.public_id]), {"encoding": "cp932"})
    assert sjis["Content-Type"] == "text/csv; charset=Shift_JIS"
    assert list(csv.reader(io.StringIO(sjis.content.decode("cp932"), newline=""))) == rows


@pytest.mark.parametrize("name", ["checks:answers_xlsx", "checks:answers_csv"])
def test_only_the_holder_downloads_a_check(name: str, owner: User, submitted: Callable[..., Check]) -> None:
    check = submitted(owner)
    other = Client()
    other.force_login(make_user("other", "他人 太郎"))
    assert other.get(reverse(name, args=[check.public_id])).status_code == 404
    assert Client().get(reverse(name, args=[check.public_id])).status_code == 404


def test_the_blank_fill_in_workbook(client: Client, framework: Framework) -> None:
    response = client.get(reverse("checks:blank_xlsx"))
    assert response.status_code == 200 and response["Content-Type"] == render.XLSX
    assert response["Content-Disposition"] == (
        f'attachment; filename="bansou-check-sheet-{framework.version}.xlsx"'
    )
    assert xlsx_of(response.content).sheetnames == ["チェックシート", "コード表", "メタデータ"]


def test_the_download_paths_do_not_shadow_the_pages() -> None:
    assert reverse("checks:blank_xlsx") == "/checks/blank-sheet.xlsx"
    assert reverse("checks:answers_xlsx", args=["abc"]) == "/checks/abc/answers.xlsx"
    assert reverse("checks:answers_csv", args=["abc"]) == "/checks/abc/answers.csv"
    assert reverse("checks:result", args=["blank-sheet.xlsx"]) == "/checks/blank-sheet.xlsx/"
