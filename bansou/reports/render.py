"""Renderers: a report model (``bansou.domain.reports``) as xlsx or CSV bytes."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from typing import Any

from openpyxl import Workbook as XlsxWorkbook
from openpyxl.cell import WriteOnlyCell

from bansou.domain.reports import Cell, Table, Workbook, unencodable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_UTF8 = "text/csv; charset=utf-8"
CSV_CP932 = "text/csv; charset=Shift_JIS"


class Unencodable(ValueError):
    """The text has characters the chosen encoding cannot write (CP932 lacks many, e.g. 𠮷)."""

    def __init__(self, characters: list[str]) -> None:
        self.characters = characters
        super().__init__("".join(characters))


# Excel's last row is 1,048,576: a table longer than a sheet goes on in 回答_2, 回答_3 ... each with
# the header in row 1 (the long 回答 table has 90 rows per check: a sheet holds about 11,650 checks).
ROWS_PER_SHEET = 1_048_575


def xlsx(workbook: Workbook) -> bytes:
    """One sheet per table: the header in row 1, then the rows. Text cells are typed as text (and
    formatted @), so that codes keep leading zeros and nothing is read as a formula."""
    book = XlsxWorkbook(write_only=True)
    book.properties.creator = "bansou"
    for table in workbook.tables:
        for part, start in enumerate(range(0, max(len(table.rows), 1), ROWS_PER_SHEET), start=1):
            sheet = book.create_sheet(title=table.name if part == 1 else f"{table.name}_{part}")
            sheet.append([_text(sheet, c.title) for c in table.columns])
            for row in table.rows[start : start + ROWS_PER_SHEET]:
                sheet.append(
                    [
                        _cell(sheet, value, column.text)
                        for column, value in zip(table.columns, row, strict=True)
                    ]
                )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(sheet: object, value: str) -> Any:  # an openpyxl WriteOnlyCell
    cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]  # the stubs want a Worksheet
    cell.data_type = "s"  # never a formula, whatever the text starts with
    cell.number_format = "@"
    return cell


def _cell(sheet: object, value: Cell, text: bool) -> Any:
    if value is None:
        return None
    if text or not isinstance(value, int):
        return _text(sheet, str(value))
    return value


def csv_bytes(table: Table, encoding: str = "utf-8") -> bytes:
    """CSV as Excel on Japanese Windows opens it: CRLF, and UTF-8 with a BOM; or CP932 when asked,
    refused (``Unencodable``) if the text has characters CP932 cannot write."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_csv_cell(c.title) for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    text = out.getvalue()
    if encoding == "cp932":
        bad = unencodable(text, "cp932")
        if bad:
            raise Unencodable(bad)
        return text.encode("cp932")
    return codecs.BOM_UTF8 + text.encode("utf-8")


def _csv_cell(value: Cell) -> str:
    """A cell as text; one that a spreadsheet would run as a formula gets a leading '."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if would_run(text) else text


# What a formula starts with: = + - @, in ASCII or any form NFKC reads as them (the full-width
# U+FF1D U+FF0B U+FF0D U+FF20, the small forms); and what may stand before it unseen: spaces, tabs, the
# full-width space, line breaks and the zero-width characters (ZWSP, ZWNJ, ZWJ, the BOM, WORD JOINER).
FORMULA_STARTS = frozenset("=+-@")
UNSEEN = " \t\r\n\u3000\u200b\u200c\u200d\ufeff\u2060"
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)


def would_run(text: str) -> bool:
    """Would Excel read ``text`` as a formula (or a DDE command)? A plain number (-2, +1.5) is a number;
    a leading tab or carriage return is refused whatever follows it."""
    if NUMBER.fullmatch(text):
        return False
    if text[:1] in ("\t", "\r"):
        return True
    first = text.lstrip(UNSEEN)[:1]
    return unicodedata.normalize("NFKC", first)[:1] in FORMULA_STARTS
