"""The answer sheet checked against its layout: every fixed cell still says what the writer wrote, nothing
is typed beside the grid, no formulas, and every answer is on the scale. Then the answers themselves:
a personal sheet's (partial answers allowed) or a cohort's rows (complete, of listed participants)."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from bansou.domain.framework import Axis, Framework, Scale
from bansou.reports.fillin.errors import Code, Param, Problem
from bansou.reports.fillin.layout import AXES, Layout, Position, axis_labels, coordinate, labels_of

BLANKS_PER_ROW = 5  # blank cells named one by one in an incomplete cohort row, then a count
POSITIVE_SYMBOLS = frozenset("○◯")
NEGATIVE_SYMBOLS = frozenset("×✕")


@dataclass(frozen=True)
class Snapshot:
    """A sheet's non-empty cells as plain values, read once and bounded."""

    name: str
    cells: dict[Position, tuple[object, str]]  # (value, openpyxl data_type)
    max_rows: int
    overflow: bool  # the sheet has rows beyond max_rows

    def text(self, position: Position) -> str:
        found = self.cells.get(position)
        return "" if found is None else _text(found[0])


@dataclass(frozen=True)
class CohortRow:
    participant: str  # the participant code as written in the file
    row: int  # the Excel row number, for messages
    answers: dict[str, tuple[int, int]]  # complete: every item, both axes


@dataclass(frozen=True)
class Grid:
    problems: list[Problem]
    values: dict[Position, int]  # answer cells with a value on the scale
    filled: set[Position]  # answer cells with anything in them, valid or not


class Mark(Protocol):
    """Records a problem in one cell."""

    def __call__(self, position: Position, code: Code, **params: Param) -> None: ...


def check_grid(sheet: Snapshot, layout: Layout, scale: Scale) -> Grid:
    found: list[tuple[Position, Problem]] = []

    def at(position: Position, code: Code, **params: Param) -> None:
        found.append((position, Problem(code, layout.sheet, coordinate(position), params)))

    formulas = {position for position, (_, kind) in sheet.cells.items() if kind == "f"}
    for position in formulas:
        at(position, Code.FORMULA)
    for (row, col), (value, _) in sheet.cells.items():
        outside = row > layout.rows or col > layout.cols
        if outside and (row, col) not in formulas and not _blank(value):
            at((row, col), Code.OUTSIDE, value=_shown(value))
    if sheet.overflow:
        overflow = Problem(Code.OVERFLOW, layout.sheet, None, {"rows": sheet.max_rows})
        found.append(((sheet.max_rows + 1, 0), overflow))
    stop = _check_fixed(sheet, layout, formulas, at)
    values: dict[Position, int] = {}
    filled: set[Position] = set()
    for position in layout.slots:
        raw = sheet.cells.get(position)
        if position[0] >= stop or raw is None or (_blank(raw[0]) and position not in formulas):
            continue
        filled.add(position)
        if position in formulas:
            continue
        value = parse_answer(raw[0], scale)
        if value is None:
            at(position, Code.BAD_VALUE, labels=labels_of(scale), value=_shown(raw[0]))
        else:
            values[position] = value
    found.sort(key=lambda pair: pair[0])
    return Grid([problem for _, problem in found], values, filled)


def _check_fixed(sheet: Snapshot, layout: Layout, formulas: set[Position], at: Mark) -> int:
    """Compare the fixed cells row by row; return the first row whose key (column A) moved, if any."""
    for row in range(1, layout.rows + 1):
        for col in range(1, layout.cols + 1):
            expected = layout.fixed.get((row, col))
            if expected is None or (row, col) in formulas or _same(sheet.text((row, col)), expected):
                continue
            if col == 1 and row > 1:
                # Everything below a deleted or moved row is shifted: one problem says it better than 50.
                at((row, col), Code.MOVED, expected=_clip(expected))
                return row
            at((row, col), Code.CHANGED, expected=_clip(expected))
    return layout.rows + 1


def personal_answers(
    framework: Framework, layout: Layout, values: Mapping[Position, int]
) -> dict[str, tuple[int | None, int | None]]:
    found: dict[str, list[int | None]] = {}
    for position, slot in layout.slots.items():
        if position in values:
            found.setdefault(slot.code, [None, None])[AXES.index(slot.axis)] = values[position]
    return {code: (found[code][0], found[code][1]) for code in framework.item_codes() if code in found}


def check_participants(layout: Layout, known: set[str], filled: set[Position]) -> list[Problem]:
    """Each listed participant is listed once, and one whose row has answers must still be in the
    cohort (someone who left after the download, with a blank row, does not spoil the file)."""
    problems: list[Problem] = []
    first: dict[str, str] = {}
    rows_with_answers = {row for row, _col in filled}
    for row in range(2, layout.rows + 1):
        code = layout.fixed[(row, 1)].strip()
        where = coordinate((row, 1))
        if code in first:
            params = {"code": _clip(code), "first": first[code]}
            problems.append(Problem(Code.DUPLICATE, layout.sheet, where, params))
        elif code not in known and row in rows_with_answers:
            problems.append(Problem(Code.UNKNOWN_PARTICIPANT, layout.sheet, where, {"code": _clip(code)}))
        first.setdefault(code, where)
    return problems


def cohort_rows(framework: Framework, layout: Layout, grid: Grid) -> tuple[list[CohortRow], list[Problem]]:
    labels = axis_labels(framework)
    blank = {"understanding": labels[Axis.UNDERSTANDING], "practice": labels[Axis.PRACTICE]}
    by_row: dict[int, list[Position]] = {}
    for position in layout.slots:
        by_row.setdefault(position[0], []).append(position)
    rows: list[CohortRow] = []
    problems: list[Problem] = []
    for row, positions in sorted(by_row.items()):
        if not any(position in grid.filled for position in positions):
            continue  # a participant without answers
        empty = [position for position in positions if position not in grid.filled]
        for position in empty[:BLANKS_PER_ROW]:
            problems.append(Problem(Code.BLANK, layout.sheet, coordinate(position), blank))
        if len(empty) > BLANKS_PER_ROW:
            more = {"row": row, "count": len(empty) - BLANKS_PER_ROW}
            problems.append(Problem(Code.MORE_BLANKS, layout.sheet, None, more))
        if all(position in grid.values for position in positions):
            rows.append(CohortRow(layout.fixed[(row, 1)].strip(), row, _row_answers(layout, grid, positions)))
    return rows, problems


def _row_answers(layout: Layout, grid: Grid, positions: Sequence[Position]) -> dict[str, tuple[int, int]]:
    pairs: dict[str, list[int]] = {}
    for position in positions:
        slot = layout.slots[position]
        pairs.setdefault(slot.code, [0, 0])[AXES.index(slot.axis)] = grid.values[position]
    return {code: (pair[0], pair[1]) for code, pair in pairs.items()}


def in_order(problems: Sequence[Problem]) -> list[Problem]:
    """Problems by place: the file first, then by sheet, row and column."""

    def key(problem: Problem) -> tuple[int, str, int, int]:
        if problem.cell is None:
            return (0 if problem.sheet is None else 2, problem.sheet or "", 0, 0)
        match = re.fullmatch(r"([A-Z]+)([0-9]+)", problem.cell)
        if match is None:
            return (1, problem.sheet or "", 0, 0)
        return (1, problem.sheet or "", int(match.group(2)), _column_number(match.group(1)))

    return sorted(problems, key=key)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


# Values ---------------------------------------------------------------------------------------------


def parse_answer(value: object, scale: Scale) -> int | None:
    """A level value from what was typed, or None when it is not on the scale."""
    if isinstance(value, bool):
        return None  # TRUE is not 「はい」: someone typed into the wrong format
    if isinstance(value, int):
        return value if value in scale.values() else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and int(value) in scale.values() else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    for level in scale.levels:
        if text == level.label:
            return level.value
    folded = unicodedata.normalize("NFKC", text).strip()  # full-width digits
    if re.fullmatch(r"[0-9]{1,9}", folded):
        number = int(folded)
        return number if number in scale.values() else None
    return _symbol(text, scale)


def _symbol(text: str, scale: Scale) -> int | None:
    """○ and × for a two-level scale, as people mark paper."""
    positive = [level.value for level in scale.levels if scale.is_positive(level.value)]
    negative = [level.value for level in scale.levels if not scale.is_positive(level.value)]
    if len(positive) != 1 or len(negative) != 1:
        return None
    if text in POSITIVE_SYMBOLS:
        return positive[0]
    if text in NEGATIVE_SYMBOLS:
        return negative[0]
    return None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    """A cell value as the text a person sees, for comparing with what was written."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _same(actual: str, expected: str) -> bool:
    return _normalised(actual) == _normalised(expected)


def _normalised(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _shown(value: object) -> str:
    """What was typed, short and on one line, to quote in a message."""
    return _clip(re.sub(r"[\x00-\x1f\x7f]+", " ", _text(value)).strip())


def _clip(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
