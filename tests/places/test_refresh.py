"""Refreshing the list from 総務省's spreadsheet 「全国地方公共団体コード」 (.xlsx), with the command."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bansou.places.models import Municipality, MunicipalityList, Prefecture
from bansou.places.sources import read_bundled

pytestmark = pytest.mark.django_db
Kind = Municipality.Kind
WriteWorkbook = Callable[..., Path]

# 都道府県 rows have no 市区町村名; kana is half-width, as 総務省 writes it.
FIRST_SHEET = [
    ("010006", "北海道", None, "ﾎｯｶｲﾄﾞｳ", None),
    ("011002", "北海道", "札幌市", "ﾎｯｶｲﾄﾞｳ", "ｻｯﾎﾟﾛｼ"),
    ("012025", "北海道", "函館市", "ﾎｯｶｲﾄﾞｳ", "ﾊｺﾀﾞﾃｼ"),
    ("130001", "東京都", None, "ﾄｳｷｮｳﾄ", None),
    ("131016", "東京都", "千代田区", "ﾄｳｷｮｳﾄ", "ﾁﾖﾀﾞｸ"),
    ("132012", "東京都", "八王子市", "ﾄｳｷｮｳﾄ", "ﾊﾁｵｳｼﾞｼ"),
]
WARDS = [
    ("011002", "北海道", "札幌市", "ﾎｯｶｲﾄﾞｳ", "ｻｯﾎﾟﾛｼ"),
    ("011011", "北海道", "札幌市中央区", "ﾎｯｶｲﾄﾞｳ", "ｻｯﾎﾟﾛｼﾁｭｳｵｳｸ"),
    ("011029", "北海道", "札幌市北区", "ﾎｯｶｲﾄﾞｳ", "ｻｯﾎﾟﾛｼｷﾀｸ"),
]


def refresh(path: Path, as_of: str = "2027-01-01") -> str:
    out = StringIO()
    call_command("refresh_municipalities", str(path), "--as-of", as_of, stdout=out)
    return out.getvalue()


def test_the_spreadsheet_is_read_with_full_width_kana_and_kinds(workbook: WriteWorkbook) -> None:
    output = refresh(workbook(FIRST_SHEET, WARDS))

    assert "追加 6件" in output
    assert {p.code: (p.lgcode, p.name, p.kana) for p in Prefecture.objects.all()} == {
        "01": ("010006", "北海道", "ホッカイドウ"),
        "13": ("130001", "東京都", "トウキョウト"),
    }
    assert {m.lgcode: (m.name, m.kana, m.kind) for m in Municipality.objects.all()} == {
        "011002": ("札幌市", "サッポロシ", Kind.DESIGNATED_CITY),
        "011011": ("札幌市中央区", "サッポロシチュウオウク", Kind.WARD),
        "011029": ("札幌市北区", "サッポロシキタク", Kind.WARD),
        "012025": ("函館市", "ハコダテシ", Kind.CITY),
        "131016": ("千代田区", "チヨダク", Kind.SPECIAL_WARD),
        "132012": ("八王子市", "ハチオウジシ", Kind.CITY),
    }
    listed = MunicipalityList.objects.get()
    assert (listed.source, listed.as_of, listed.count) == (
        "総務省「全国地方公共団体コード」",
        datetime.date(2027, 1, 1),
        6,
    )


def test_the_heading_row_is_found_wherever_it_is(workbook: WriteWorkbook) -> None:
    refresh(workbook(FIRST_SHEET, WARDS, title_rows=4))

    assert Municipality.objects.count() == 6


def test_a_code_written_as_a_number_gets_its_leading_zero_back(workbook: WriteWorkbook) -> None:
    rows = [(int(code), *rest) if code.startswith("01") else (code, *rest) for code, *rest in FIRST_SHEET]

    refresh(workbook(rows, WARDS))

    assert Municipality.objects.filter(lgcode="012025").exists()


def test_a_bad_check_digit_fails_with_its_sheet_and_row_and_changes_nothing(
    workbook: WriteWorkbook, municipalities: MunicipalityList
) -> None:
    rows = [*FIRST_SHEET, ("132017", "東京都", "立川市", "ﾄｳｷｮｳﾄ", "ﾀﾁｶﾜｼ")]  # 立川市 is 132021

    with pytest.raises(CommandError) as raised:
        refresh(workbook(rows, WARDS))

    assert str(raised.value) == (
        "000925835.xlsx「R8.7.1現在の団体」シート 9行目: 団体コード「132017」の検査数字が正しくありません"
    )
    assert MunicipalityList.objects.get() == municipalities
    assert Municipality.objects.filter(active=True).count() == 1916


def test_a_ward_without_its_city_is_refused(workbook: WriteWorkbook) -> None:
    wards = [("041017", "宮城県", "仙台市青葉区", "ﾐﾔｷﾞｹﾝ", "ｾﾝﾀﾞｲｼｱｵﾊﾞｸ")]

    with pytest.raises(CommandError, match=r"「R8\.7\.1政令指定都市」シート 2行目"):
        refresh(workbook(FIRST_SHEET, wards))


def test_a_sheet_without_the_headings_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["コード", "名前"])
    sheet.append(["011002", "札幌市"])
    path = tmp_path / "other.xlsx"
    book.save(path)

    with pytest.raises(CommandError, match="見出し「団体コード」の行が見つかりません"):
        refresh(path)


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.xlsx"
    path.write_text("団体コード,市区町村名\n", encoding="utf-8")

    with pytest.raises(CommandError, match=r"list\.xlsx: Excel ファイル"):
        refresh(path)


def test_the_date_must_be_given_as_yyyy_mm_dd(workbook: WriteWorkbook) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        refresh(workbook(FIRST_SHEET, WARDS), as_of="令和9年1月1日")


def test_the_bundled_list_and_the_spreadsheet_agree_on_a_ward(
    workbook: WriteWorkbook, municipalities: MunicipalityList
) -> None:
    """Both loaders store a ward the same way, so replacing one list by the other changes nothing else."""
    bundled = {m.lgcode: m for m in read_bundled().municipalities}

    output = refresh(workbook(FIRST_SHEET, WARDS))

    for code in ("011002", "011011", "011029", "012025", "131016", "132012"):
        stored = Municipality.objects.get(lgcode=code)
        assert (stored.name, stored.kana, stored.kind) == (
            bundled[code].name,
            bundled[code].kana,
            bundled[code].kind,
        )
    assert "追加 0件、更新 0件、一覧から外れた市区町村 1910件" in output
    assert Municipality.objects.count() == 1916
    assert Municipality.objects.filter(active=True).count() == 6


def test_a_refresh_survives_the_next_make_run(
    workbook: WriteWorkbook, municipalities: MunicipalityList
) -> None:
    refresh(workbook(FIRST_SHEET, WARDS))
    out = StringIO()

    call_command("load_municipalities", stdout=out)

    assert "より新しい一覧" in out.getvalue()
    assert Municipality.objects.filter(active=True).count() == 6
