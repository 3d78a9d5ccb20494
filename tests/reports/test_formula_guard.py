"""The formula guard of CSV downloads (issue 15, item 8): a cell a spreadsheet would run as a formula is
written with a leading ', whatever disguises its first character — its full-width or small form (the
keys of ``FULL_WIDTH`` and ``SMALL``), or spaces, tabs, the full-width space or zero-width characters
before it. A number stays a number. The xlsx renderer needs no guard: it types every text cell as text,
which no value turns into a formula (checked on the same table).
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from bansou.domain.reports import Column, Table, Workbook
from bansou.reports import render

ZERO_WIDTH = {"ZWSP": "\u200b", "ZWNJ": "\u200c", "ZWJ": "\u200d", "BOM": "\ufeff", "WORD JOINER": "\u2060"}
FULL_WIDTH = {"＝": "\uff1d", "＋": "\uff0b", "－": "\uff0d", "＠": "\uff20"}
SMALL = {"﹦": "\ufe66", "﹢": "\ufe62", "﹣": "\ufe63", "﹫": "\ufe6b"}

# (case, the value, is it defused?)
# fmt: off
CASES: list[tuple[str, str, bool]] = [
    ("equals",                        "=1+1",                      True),
    ("plus",                          "+1+cmd|' /C calc'!A0",      True),
    ("minus",                         "-2+3",                      True),
    ("at",                            "@SUM(A1:A9)",               True),
    ("a leading tab",                 "\t",                        True),
    ("a tab, then equals",            "\t=1+1",                    True),
    ("a carriage return, then equals", "\r=1+1",                   True),
    ("a line feed, then equals",      "\n=1+1",                    True),
    ("spaces, then equals",           "  =1+1",                    True),
    ("the full-width space, then plus", "\u3000+1",                True),
    ("spaces and a ZWSP, then full-width equals", " \u200b\u3000\uff1dSUM(A1)", True),
    *((f"full-width {shown}", f"{char}SUM(A1)", True) for shown, char in FULL_WIDTH.items()),
    *((f"small {shown}", f"{char}1", True) for shown, char in SMALL.items()),
    *((f"{name}, then equals", f"{char}=1+1", True) for name, char in ZERO_WIDTH.items()),
    *((f"{name}, then full-width at", f"{char}\uff20A1", True) for name, char in ZERO_WIDTH.items()),
    ("a negative number",             "-2",                        False),
    ("a signed decimal",              "+1.5",                      False),
    ("a number with an exponent",     "-1e5",                      False),
    ("a number",                      "012345",                    False),
    ("a name",                        "髙橋　花子",                False),
    ("an item code",                  "2-1",                       False),
    ("equals inside",                 "a=b",                       False),
    ("a full-width space before text", "\u3000伴走支援",           False),
    ("a ZWSP before text",            "\u200bメモ",                False),
    ("empty",                         "",                          False),
]
# fmt: on


def csv_row(*values: str) -> list[str]:
    table = Table("t", tuple(Column(f"c{n}", f"列{n}") for n in range(len(values))), (values,))
    body = render.csv_bytes(table).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body, newline="")))[1]


@pytest.mark.parametrize(("value", "defused"), [pytest.param(v, d, id=c) for c, v, d in CASES])
def test_csv_defuses_what_a_spreadsheet_would_run(value: str, defused: bool) -> None:
    assert csv_row(value) == [f"'{value}" if defused else value]


def test_a_number_column_stays_numbers_and_the_header_is_guarded_too() -> None:
    table = Table("t", (Column("n", "=数", text=False),), ((-2,), (3,)))
    rows = list(csv.reader(io.StringIO(render.csv_bytes(table).decode("utf-8-sig"), newline="")))
    assert rows == [["'=数"], ["-2"], ["3"]]


def test_xlsx_writes_every_case_as_text_never_as_a_formula() -> None:
    values = tuple(value for _, value, _ in CASES)
    table = Table("回答", tuple(Column(f"c{n}", f"列{n}") for n in range(len(values))), (values,))
    sheet = openpyxl.load_workbook(io.BytesIO(render.xlsx(Workbook((table,)))))["回答"]
    for cell, value in zip(sheet[2], values, strict=True):
        if value:
            assert cell.data_type == "s", repr(value)  # text: openpyxl reads a formula as "f"
            assert cell.value == value.replace("\r", "\n"), repr(value)  # XML reads CR as LF
