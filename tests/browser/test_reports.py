"""Paper, PDF and Excel in a real browser, axe-clean on every page: the personal PDF and the blank
sheets downloaded, a filled-in sheet uploaded and reviewed, a refused file explained, then the
person's data exported and the account deleted."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from bansou.accounts.models import User
from bansou.checks.models import Check, Draft, DraftCell
from bansou.domain.framework import Framework
from tests.browser.conftest import PASSWORD, Visit, log_in
from tests.conftest import make_user
from tests.reports.filling import fill_personal
from tests.reports.pdfcheck import assert_sound_pdf, squeeze

pytestmark = pytest.mark.browser


def download(page: Page, name: str | re.Pattern[str], folder: Path) -> bytes:
    """Clicks the link of that name and returns the file it downloads."""
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target.read_bytes()


def test_pdf_blank_sheets_upload_then_export_and_delete(
    visit: Visit, live_server: Any, framework: Framework, submitted: Callable[..., Check], tmp_path: Path
) -> None:
    base = live_server.url
    person = make_user("kami", "紙井 記子", furigana="カミイ ノリコ")
    check = submitted(person)

    # The result page offers the PDF; it opens as A4 with the Japanese font embedded.
    page = visit.new_page()
    page.goto(f"{base}/accounts/login/?next=/checks/{check.public_id}/")
    log_in(visit, page, "kami")
    expect(page.get_by_role("heading", level=1)).to_have_text("セルフチェックの結果")
    visit.check_page(page)
    text = squeeze(assert_sound_pdf(download(page, "PDF（A4）", tmp_path)))
    assert "セルフチェックの結果" in text and squeeze(framework.elements[0].name) in text

    # The answers as Excel and CSV read on their own: each code has its words beside it (the
    # visit reads every cell of both for English).
    first = next(framework.items())
    book = openpyxl.load_workbook(io.BytesIO(download(page, "Excel（xlsx）", tmp_path)))
    header = [cell.value for cell in book["回答"][1]]
    row = dict(zip(header, [cell.value for cell in book["回答"][2]], strict=True))
    assert (row["項目コード"], row["項目名"], row["軸"]) == (first.code, first.name, "理解")
    lines = list(csv.reader(io.StringIO(download(page, "CSV（UTF-8）", tmp_path).decode("utf-8-sig"))))
    assert dict(zip(lines[0], lines[1], strict=True)) == {
        k: "" if v is None else str(v) for k, v in row.items()
    }

    # From the home page to the blank sheet: the PDF to print and the xlsx to fill in.
    page.goto(base + "/")
    page.get_by_role("link", name=re.compile("紙や Excel で記入する")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("チェックシート（記入用）")
    visit.check_page(page)
    blank_pdf = squeeze(assert_sound_pdf(download(page, "印刷用 PDF（A4）", tmp_path)))
    assert "チェックシート（記入用）" in blank_pdf
    blank = download(page, "Excel で記入するシート（xlsx）", tmp_path)
    assert openpyxl.load_workbook(io.BytesIO(blank)).sheetnames[0] == "チェックシート"

    # A file that is not an xlsx is refused with the reason, and nothing is saved.
    wrong = tmp_path / "answers.csv"
    wrong.write_text("理解,実践\r\nはい,はい\r\n", encoding="utf-8")
    page.get_by_label(re.compile("^xlsx ファイル")).set_input_files(str(wrong))
    page.get_by_role("button", name="取り込む").click()
    expect(page.get_by_role("alert")).to_contain_text("xlsx 形式のファイルではありません")
    visit.check_page(page)
    assert not Draft.objects.filter(owner=person).exists()

    # The filled-in sheet becomes the draft to review.
    codes = framework.item_codes()
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(
        fill_personal(blank, framework, {codes[0]: ("はい", "いいえ"), codes[1]: ("いいえ", "はい")})
    )
    page.get_by_label(re.compile("^xlsx ファイル")).set_input_files(str(filled))
    page.get_by_role("button", name="取り込む").click()
    expect(page.get_by_text("ファイルから 4 件の回答を取り込みました")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("セルフチェック")
    visit.check_page(page)
    draft = Draft.objects.get(owner=person)
    saved = {
        (c.item_code, c.axis): c.value for c in DraftCell.objects.filter(draft=draft, value__isnull=False)
    }
    assert saved == {
        (codes[0], "understanding"): 1,
        (codes[0], "practice"): 0,
        (codes[1], "understanding"): 0,
        (codes[1], "practice"): 1,
    }
    first = page.locator(f"#item-{codes[0]}")
    expect(first.get_by_role("radio", name="はい").first).to_be_checked()

    # Everything about the person, then the account deleted.
    page.goto(base + "/accounts/my-data/")
    visit.check_page(page)
    data = json.loads(download(page, "JSON でダウンロードする", tmp_path))
    assert str(check.public_id) in json.dumps(data)
    mine = download(page, "Excel（xlsx）でダウンロードする", tmp_path)
    assert mine.startswith(b"PK")
    page.get_by_role("link", name="アカウントを削除する").click()
    visit.check_page(page)
    page.get_by_label(re.compile("^パスワード")).fill(PASSWORD)
    page.get_by_role("button", name="アカウントとデータをすべて削除する").click()
    page.wait_for_url(lambda url: "/accounts/delete/" not in url)
    visit.check_page(page)
    assert not User.objects.filter(username="kami").exists()
    assert not Check.objects.filter(pk=check.pk).exists()
