"""Fixtures of the 市町村 list: the bundled list loaded, and 総務省-style workbooks written on the spot."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from bansou.places.models import MunicipalityList
from bansou.places.services import load_bundled_municipalities

HEADINGS = (
    "団体コード",
    "都道府県名\n（漢字）",
    "市区町村名\n（漢字）",
    "都道府県名\n（カナ）",
    "市区町村名\n（カナ）",
)
Row = Sequence[object]


@pytest.fixture
def municipalities(db: None) -> MunicipalityList:
    """The bundled list (47 都道府県, 1,916 市区町村), loaded as `make run` loads it."""
    load_bundled_municipalities()
    listed = MunicipalityList.objects.first()
    assert listed is not None
    return listed


@pytest.fixture
def workbook(tmp_path: Path) -> Callable[..., Path]:
    """Writes a workbook laid out as 総務省's: a title, the headings, the rows; sheet 2 the wards."""

    def write(first: Sequence[Row], wards: Sequence[Row] = (), *, title_rows: int = 1) -> Path:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "R8.7.1現在の団体"
        for _ in range(title_rows):
            sheet.append(["都道府県コード及び市区町村コード"])
        sheet.append(HEADINGS)
        for row in first:
            sheet.append(list(row))
        designated = book.create_sheet("R8.7.1政令指定都市")
        designated.append(HEADINGS)
        for row in wards:
            designated.append(list(row))
        path = tmp_path / "000925835.xlsx"
        book.save(path)
        return path

    return write
