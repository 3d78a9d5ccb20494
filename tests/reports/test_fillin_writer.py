"""The blank fill-in workbooks (fillin.writer), reopened with openpyxl: their layout, protection, drop-downs,
コード表 and メタデータ, and a draft's answers written in."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from bansou.domain.reports import code_table
from bansou.reports import fillin
from tests.domain.shipped import FOUR_LEVEL, LEAFLET
from tests.reports.fillin_helpers import PARTICIPANTS, SHEET


def test_blank_personal_layout_reopened_with_openpyxl() -> None:
    book = openpyxl.load_workbook(io.BytesIO(fillin.blank_personal(LEAFLET)))
    assert book.sheetnames == ["チェックシート", "コード表", "メタデータ"]
    sheet = book[SHEET]
    assert [cell.value for cell in sheet[1]] == [
        "項目コード",
        "エレメント番号",
        "項目",
        "説明",
        "理解",
        "実践",
    ]
    items = list(LEAFLET.items())
    assert (sheet.max_row, sheet.max_column) == (len(items) + 1, 6)
    for row, item in enumerate(items, start=2):
        code, element, name, description, understanding, practice = sheet[row]
        assert code.value == item.code and code.data_type == "s" and code.number_format == "@"
        assert element.value == (None if item.element is None else str(item.element))
        assert name.value == item.mark + item.name and name.alignment.wrap_text
        assert description.value == (item.description or None)
        assert all(cell.protection.locked for cell in (code, element, name, description))
        assert understanding.value is None and practice.value is None
        assert not understanding.protection.locked and not practice.protection.locked
    assert sheet.protection.sheet and not sheet.protection.password
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["A"].width
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"はい,いいえ"'
    assert str(validation.sqref) == f"E2:F{len(items) + 1}"
    assert book.security is not None and book.security.lockStructure


def test_blank_workbooks_have_no_formulas_merges_or_active_parts() -> None:
    cohort = fillin.blank_cohort(LEAFLET, cohort_id="c-1", cohort_name="=研修", participants=PARTICIPANTS)
    for data in (fillin.blank_personal(LEAFLET), cohort):
        book = openpyxl.load_workbook(io.BytesIO(data))
        for sheet in book.worksheets:
            assert not sheet.merged_cells.ranges
            assert sheet.protection.sheet
            assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            assert not [name for name in names if name.endswith(".bin") or "external" in name.lower()]
            assert b"macroEnabled" not in archive.read("[Content_Types].xml")


def test_code_table_and_metadata_sheets() -> None:
    book = openpyxl.load_workbook(io.BytesIO(fillin.blank_personal(LEAFLET)))
    codes = book["コード表"]
    table = code_table(LEAFLET)
    assert [cell.value for cell in codes[1]] == [column.title for column in table.columns]
    assert [tuple(cell.value for cell in row) for row in codes.iter_rows(min_row=2)] == list(table.rows)
    meta = book["メタデータ"]
    assert [cell.value for cell in meta[1]] == ["項目", "内容"]
    entries = {str(row[0].value): str(row[1].value) for row in meta.iter_rows(min_row=2)}
    assert entries["様式"] == fillin.FORMAT_ID == "bansou-fillin-1"
    assert entries["種類"] == "個人"
    assert entries["フレームワークID"] == "leaflet"
    assert entries["フレームワークの版"] == LEAFLET.version
    assert "「理解」「実践」の列に「はい」か「いいえ」を入力" in entries["記入方法"]
    assert "他のセルは変更しないでください" in entries["記入方法"]


def test_four_level_validation_lists_every_label() -> None:
    book = openpyxl.load_workbook(io.BytesIO(fillin.blank_personal(FOUR_LEVEL)))
    (validation,) = book[SHEET].data_validations.dataValidation
    assert validation.formula1 == '"できている,ある程度できている,あまりできていない,できていない"'
    assert book[SHEET]["A3"].value == "r2" and book[SHEET]["C3"].value == "2信頼を築く"


def test_blank_cohort_layout() -> None:
    data = fillin.blank_cohort(
        LEAFLET, cohort_id="c-1", cohort_name="令和7年度 研修", participants=PARTICIPANTS
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["入力", "コード表", "メタデータ"]
    sheet = book["入力"]
    codes = LEAFLET.item_codes()
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["参加者番号", "氏名", f"{codes[0]} 理解", f"{codes[0]} 実践"]
    assert len(header) == 2 + 2 * len(codes) and header[-1] == f"{codes[-1]} 実践"
    assert [(sheet.cell(row, 1).value, sheet.cell(row, 2).value) for row in (2, 3, 4)] == PARTICIPANTS
    assert sheet["A2"].data_type == "s" and sheet["B4"].data_type == "s"
    assert sheet["A2"].protection.locked and not sheet["C2"].protection.locked
    assert sheet.freeze_panes == "C2" and sheet.protection.sheet
    (validation,) = sheet.data_validations.dataValidation
    assert str(validation.sqref) == f"C2:{get_column_letter(2 + 2 * len(codes))}4"
    meta = [(row[0].value, row[1].value) for row in book["メタデータ"].iter_rows(min_row=2)]
    assert ("種類", "研修") in meta and ("研修ID", "c-1") in meta and ("研修名", "令和7年度 研修") in meta
    assert [value for key, value in meta if key == "参加者番号"] == ["P1", "P2", "P3"]


def test_blank_cohort_refuses_duplicate_participant_codes() -> None:
    with pytest.raises(ValueError, match="distinct"):
        fillin.blank_cohort(LEAFLET, cohort_id="c", cohort_name="x", participants=[("P1", "a"), ("P1", "b")])


def test_a_draft_written_into_the_blank_reads_back() -> None:
    answers = {"r1": (4, None), "p1": (1, 3)}
    assert (
        fillin.read_personal(fillin.blank_personal(FOUR_LEVEL, answers=answers), FOUR_LEVEL).answers
        == answers
    )
    book = openpyxl.load_workbook(io.BytesIO(fillin.blank_personal(FOUR_LEVEL, answers=answers)))
    assert book[SHEET]["E2"].value == "できている" and book[SHEET]["E2"].data_type == "s"


def test_a_draft_for_unknown_items_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="not in the framework"):
        fillin.blank_personal(LEAFLET, answers={"nope": (1, 1)})
    with pytest.raises(ValueError, match="not on the scale"):
        fillin.blank_personal(LEAFLET, answers={"2-1": (5, None)})
