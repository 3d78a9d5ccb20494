"""The browser tests' check for English (tests/browser/words.py), on its own: what it finds on a page
and in a downloaded file, and what it lets through (codes, ids, addresses, the allow-list)."""

from __future__ import annotations

import csv
import io

import openpyxl

from tests.browser.words import file_text, latin_words


def test_words_on_a_page() -> None:
    assert latin_words("AXES / Access attempts") == ["AXES", "Access", "attempts"]
    assert latin_words("都道府県 ---------") == ["---------"]
    assert latin_words("Revision") == ["Revision"]
    assert latin_words("役割：admin") == ["admin"]


def test_what_is_no_word() -> None:
    text = (
        "PDF（A4）と Excel（xlsx）、CSV（UTF-8）・CSV（Shift_JIS）、2 MB まで。ログインID・IP アドレス。"
        "参加コード9F3H-ACDE-FGHJを作りました。https://example.jp/teams/join/ 、/checks/start/、"
        "hanako@example.jp、bansou-check-2026.xlsx、43f025e8-6b97-4caf-9b70-cd5af70edd67、"
        "2026-04-01T09:00:00+09:00、セル D12、項目 2-1 と A-3、bansou 管理、コード（末尾 KKPW）"
        "、回答用のコード VEYT-WHRR-CVUA-YQGR-FKWA"
    )
    assert latin_words(text) == []
    assert latin_words("ようこそ lead さん", typed=["lead"]) == []
    assert latin_words("ようこそ lead さん") == ["lead"]


def test_every_cell_of_a_file_but_its_codes() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "回答"
    sheet.append(["項目コード", "項目名", "軸コード", "軸"])
    sheet.append(["2-1", "傾聴", "understanding", "理解"])
    sheet.append(["2-2", "visitor", "practice", "実践"])
    meta = book.create_sheet("メタデータ")
    meta.append(["項目", "内容"])
    meta.append(["様式", "bansou-fillin-1"])
    meta.append(["フレームワークID", "leaflet"])
    meta.append(["出典", "leaflet"])
    body = io.BytesIO()
    book.save(body)
    assert latin_words(file_text("a.xlsx", body.getvalue()) or "") == ["visitor", "leaflet"]
    out = io.StringIO()
    csv.writer(out).writerows([["軸コード", "軸"], ["practice", "practice"]])
    assert latin_words(file_text("a.csv", ("\ufeff" + out.getvalue()).encode()) or "") == ["practice"]
    assert file_text("a.json", b"{}") is None
