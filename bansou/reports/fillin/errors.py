"""What can be wrong with an upload, as data: a code, a place and the values a message needs.

No text for people here: ``bansou.reports.fillin_messages.describe`` turns a ``Problem`` into its Japanese
sentence through gettext. Every code below has exactly one message there (a test holds them together).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

MAX_PROBLEMS = 50

Param = str | int | tuple[str, ...]


class Code(StrEnum):
    """The kinds of problem; the comment names the parameters each one carries."""

    # The file as a whole
    TOO_LARGE = "too_large"  # mb
    EMPTY = "empty"
    NOT_XLSX = "not_xlsx"
    OLD_XLS = "old_xls"
    UNREADABLE = "unreadable"
    BAD_NAME = "bad_name"
    BOMB = "bomb"
    ENCRYPTED = "encrypted"
    ACTIVE_CONTENT = "active_content"  # macros, ActiveX, embedded objects, links out of the file
    TOO_MANY_ELEMENTS = "too_many_elements"  # more cell elements in a part than the file may have
    MISSING_SHEET = "missing_sheet"  # name
    NOT_OURS = "not_ours"
    IS_COHORT_SHEET = "is_cohort_sheet"  # a cohort workbook where a personal one was expected
    IS_PERSONAL_SHEET = "is_personal_sheet"  # a personal workbook where a cohort one was expected
    OTHER_VERSION = "other_version"  # found, expected
    META_EDITED = "meta_edited"
    OTHER_COHORT = "other_cohort"
    OLD_CODES = "old_codes"  # a cohort workbook from before participants were numbered in their 研修
    NO_ANSWERS = "no_answers"
    LEFT_OUT = "left_out"  # count, kept
    # A sheet
    OVERFLOW = "overflow"  # rows
    TOO_MANY_CELLS = "too_many_cells"  # non-empty cells beside the grid
    MORE_BLANKS = "more_blanks"  # row, count
    # A cell
    FORMULA = "formula"
    CHANGED = "changed"  # expected
    MOVED = "moved"  # expected: a changed key cell, the sign of a deleted, inserted or moved row
    OUTSIDE = "outside"  # value
    BAD_VALUE = "bad_value"  # labels (the scale's, positive first), value
    BLANK = "blank"  # understanding, practice (the axes' labels)
    UNKNOWN_PARTICIPANT = "unknown_participant"  # code
    DUPLICATE = "duplicate"  # code, first (the cell where the code was first seen)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an upload: what, and where (a sheet and a cell, when there is one)."""

    code: Code
    sheet: str | None = None  # sheet name, or None for the file as a whole
    cell: str | None = None  # like "F12", or None
    params: Mapping[str, Param] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def __str__(self) -> str:
        """For logs and tracebacks, not for people: they get ``fillin_messages.describe``."""
        where = "".join(f"{part}!" for part in (self.sheet, self.cell) if part).rstrip("!")
        details = ", ".join(f"{key}={value!r}" for key, value in self.params.items())
        return " ".join(part for part in (str(self.code), where, details) if part)


class FillInError(Exception):
    """An upload that cannot be used; ``problems`` says why (at most ``MAX_PROBLEMS``, then a count)."""

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        found = list(problems) or [Problem(Code.UNREADABLE)]
        kept = found[:MAX_PROBLEMS]
        if len(found) > MAX_PROBLEMS:
            left = len(found) - MAX_PROBLEMS
            kept.append(Problem(Code.LEFT_OUT, params={"count": left, "kept": MAX_PROBLEMS}))
        self.problems = tuple(kept)
        super().__init__("\n".join(str(p) for p in self.problems))


def refuse(code: Code, **params: Param) -> FillInError:
    """The error for a file refused as a whole."""
    return FillInError([Problem(code, params=params)])
