"""Filling the fill-in workbooks as a person would in Excel: openpyxl writing values into the answer cells."""

from __future__ import annotations

import io
from collections.abc import Mapping

import openpyxl
from openpyxl.utils import get_column_letter

from bansou.domain.framework import Framework


def fill_personal(body: bytes, framework: Framework, answers: Mapping[str, tuple[object, object]]) -> bytes:
    """Writes (理解, 実践) into the rows of the given items (None leaves a cell empty)."""
    book = openpyxl.load_workbook(io.BytesIO(body))
    sheet = book["チェックシート"]
    rows = {str(sheet.cell(row=r, column=1).value): r for r in range(2, sheet.max_row + 1)}
    for code, (understanding, practice) in answers.items():
        sheet.cell(row=rows[code], column=5).value = understanding
        sheet.cell(row=rows[code], column=6).value = practice
    return _save(book)


def fill_cohort(
    body: bytes, framework: Framework, answers: Mapping[str, Mapping[str, tuple[object, object]]]
) -> bytes:
    """Writes answers into the rows of the given participant codes."""
    book = openpyxl.load_workbook(io.BytesIO(body))
    sheet = book["入力"]
    rows = {str(sheet.cell(row=r, column=1).value): r for r in range(2, sheet.max_row + 1)}
    columns = {str(sheet.cell(row=1, column=c).value): c for c in range(3, sheet.max_column + 1)}
    for participant, by_item in answers.items():
        for code, (understanding, practice) in by_item.items():
            sheet.cell(row=rows[participant], column=columns[f"{code} 理解"]).value = understanding
            sheet.cell(row=rows[participant], column=columns[f"{code} 実践"]).value = practice
    return _save(book)


def everything(framework: Framework, value: object = "はい") -> dict[str, tuple[object, object]]:
    return dict.fromkeys(framework.item_codes(), (value, value))


def column_of(framework: Framework, code: str, axis: str) -> str:
    """The letter of an item's answer column in the cohort workbook ("理解" or "実践")."""
    index = framework.item_codes().index(code)
    return get_column_letter(3 + 2 * index + (0 if axis == "理解" else 1))


def _save(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
