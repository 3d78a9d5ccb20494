"""A filled-in sheet saved again by a real spreadsheet program (LibreOffice Calc, headless) still
reads: its shared strings, styles and rewritten parts are not mistaken for edits."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bansou.reports import fillin
from tests.domain.shipped import LEAFLET
from tests.reports.filling import everything, fill_cohort, fill_personal

SOFFICE = shutil.which("soffice")


def resaved(body: bytes, folder: Path) -> bytes:
    """The workbook opened and saved again as xlsx by LibreOffice."""
    if SOFFICE is None:
        pytest.fail("LibreOffice is needed: apt-get install --no-install-recommends libreoffice-calc-nogui")
    source = folder / "filled.xlsx"
    source.write_bytes(body)
    out = folder / "out"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )  # fmt: skip
    result = (out / "filled.xlsx").read_bytes()
    assert result != body  # really written again, by another program
    return result


def test_a_personal_sheet_saved_by_libreoffice_reads_the_same(tmp_path: Path) -> None:
    codes = LEAFLET.item_codes()
    written = {codes[0]: ("はい", "いいえ"), codes[1]: (1, 0), codes[-1]: ("いいえ", None)}
    body = resaved(fill_personal(fillin.blank_personal(LEAFLET), LEAFLET, written), tmp_path)
    assert fillin.read_personal(body, LEAFLET).answers == {
        codes[0]: (1, 0),
        codes[1]: (1, 0),
        codes[-1]: (0, None),
    }


def test_a_cohort_workbook_saved_by_libreoffice_reads_the_same(tmp_path: Path) -> None:
    people = [("11", "一郎"), ("12", "二子"), ("13", "三郎")]
    blank = fillin.blank_cohort(LEAFLET, cohort_id="c-1", cohort_name="研修", participants=people)
    body = resaved(fill_cohort(blank, LEAFLET, {"12": everything(LEAFLET, "いいえ")}), tmp_path)
    sheet = fillin.read_cohort(body, LEAFLET, cohort_id="c-1", participants=["11", "12", "13"])
    assert [(row.participant, row.row) for row in sheet.rows] == [("12", 3)]
    assert set(sheet.rows[0].answers.values()) == {(0, 0)}
