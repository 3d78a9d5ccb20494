"""Reading an upload back, all or nothing: every problem found is collected into one ``FillInError``,
or the whole result is returned.

The views call ``peek_version`` to pick the framework, then ``read_personal`` or ``read_cohort``. The file
goes through ``safezip.unpack`` before openpyxl sees it; anything openpyxl raises about it is an unreadable
file; the メタデータ sheet must name this format, kind, framework (and cohort); then ``grid`` checks the
answer sheet cell by cell.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from openpyxl import load_workbook
from openpyxl.cell.read_only import EMPTY_CELL

from bansou.domain.framework import Framework
from bansou.reports.fillin.errors import Code, FillInError, Problem, refuse
from bansou.reports.fillin.grid import (
    CohortRow,
    Snapshot,
    check_grid,
    check_participants,
    cohort_rows,
    in_order,
    personal_answers,
)
from bansou.reports.fillin.layout import (
    FORMAT_ID,
    KEY_COHORT,
    KEY_COUNT,
    KEY_FORMAT,
    KEY_KIND,
    KEY_OLD_PARTICIPANT,
    KEY_PARTICIPANT,
    KEY_SLUG,
    KEY_VERSION,
    KIND_COHORT,
    KIND_PERSONAL,
    META_SHEET,
    Layout,
    Position,
    cohort_layout,
    personal_layout,
)
from bansou.reports.fillin.safezip import unpack

PERSONAL_LIMIT = 2 * 1024 * 1024  # bytes of the uploaded file
COHORT_LIMIT = 10 * 1024 * 1024
EXTRA_ROWS = 1000  # rows read past the grid before giving up on a sheet
EXTRA_CELLS = 10000  # non-empty cells kept beyond the grid's own before giving up on a sheet
META_ROWS = 20000
MAX_COLUMNS = 16384  # Excel's last column, XFD
# Cell elements allowed in any one XML part, counted before openpyxl parses it (see safezip.unpack).
PERSONAL_CELLS = 20000
SPARE_PARTICIPANTS = 100  # rows for people who left the cohort after the download
PEEK_CELLS = 300000

WRONG_KIND = {KIND_PERSONAL: Code.IS_COHORT_SHEET, KIND_COHORT: Code.IS_PERSONAL_SHEET}  # by kind expected


@dataclass(frozen=True)
class PersonalSheet:
    framework_slug: str
    framework_version: str
    answers: dict[str, tuple[int | None, int | None]]  # item code -> (understanding, practice); non-empty


@dataclass(frozen=True)
class CohortSheet:
    framework_slug: str
    framework_version: str
    cohort: str  # the cohort id written in the file
    rows: tuple[CohortRow, ...]  # rows with answers; blank participant rows are skipped


# The entry points -------------------------------------------------------------------------------------


def peek_version(data: bytes) -> tuple[str, str]:
    """(framework slug, version) from the メタデータ sheet, to pick the framework to validate against.

    Accepts files up to ``COHORT_LIMIT``; read_personal then applies its own, smaller limit."""
    with _opened(data, COHORT_LIMIT, PEEK_CELLS) as book:
        meta = _read_metadata(book)
    if _single(meta, KEY_FORMAT) != FORMAT_ID:
        raise refuse(Code.NOT_OURS)
    slug, version = _single(meta, KEY_SLUG), _single(meta, KEY_VERSION)
    if not slug or not version:
        raise refuse(Code.META_EDITED)
    return slug, version


def read_personal(data: bytes, framework: Framework) -> PersonalSheet:
    """The answers of a filled-in personal workbook (partial answers allowed), or ``FillInError``."""
    layout = personal_layout(framework)
    with _opened(data, PERSONAL_LIMIT, PERSONAL_CELLS) as book:
        _check_metadata(_read_metadata(book), framework, KIND_PERSONAL)
        sheet = book.grid(layout)
    grid = check_grid(sheet, layout, framework.scale)
    answers = personal_answers(framework, layout, grid.values)
    problems = grid.problems
    if not problems and not answers:
        problems = [Problem(Code.NO_ANSWERS)]
    if problems:
        raise FillInError(problems)
    return PersonalSheet(framework.slug, framework.version, answers)


def read_cohort(
    data: bytes, framework: Framework, *, cohort_id: str, participants: Collection[str]
) -> CohortSheet:
    """The complete rows of a filled-in cohort workbook (blank rows skipped), or ``FillInError``."""
    width = 2 + 2 * len(framework.item_codes())
    max_cells = (len(participants) + SPARE_PARTICIPANTS) * width + PERSONAL_CELLS
    with _opened(data, COHORT_LIMIT, max_cells) as book:
        meta = _read_metadata(book)
        _check_metadata(meta, framework, KIND_COHORT)
        if _single(meta, KEY_COHORT) != cohort_id:
            raise refuse(Code.OTHER_COHORT)
        layout = cohort_layout(framework, _listed_participants(meta))
        sheet = book.grid(layout)
    grid = check_grid(sheet, layout, framework.scale)
    problems = grid.problems + check_participants(layout, set(participants), grid.filled)
    rows, incomplete = cohort_rows(framework, layout, grid)
    problems += incomplete
    if not problems and not rows:
        problems = [Problem(Code.NO_ANSWERS)]
    if problems:
        raise FillInError(in_order(problems))
    return CohortSheet(framework.slug, framework.version, cohort_id, tuple(rows))


# openpyxl, fenced in ----------------------------------------------------------------------------------

T = TypeVar("T")


def _guarded(read: Callable[[], T]) -> T:
    """Run openpyxl: whatever it raises (or warns) about a hostile file is an unreadable file.

    Warnings are silenced so that a warning turned into an error (as the test settings do) cannot change
    the outcome; catch_warnings is process-wide, so another thread may miss a warning meanwhile.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return read()
    except FillInError:
        raise
    except Exception as exc:
        raise refuse(Code.UNREADABLE) from exc


@dataclass(frozen=True)
class _Limits:
    rows: int
    cols: int | None  # None: as wide as the row's cells
    cells: int  # non-empty cells


class _Book:
    def __init__(self, book: Any) -> None:
        self._book = book

    def grid(self, layout: Layout) -> Snapshot:
        """The answer sheet, read a little past its grid (enough to see what was typed beside it)."""
        limits = _Limits(layout.rows + EXTRA_ROWS, None, layout.rows * layout.cols + EXTRA_CELLS)
        return self.snapshot(layout.sheet, limits)

    def snapshot(self, name: str, limits: _Limits) -> Snapshot:
        if name not in _guarded(lambda: list(self._book.sheetnames)):
            raise refuse(Code.MISSING_SHEET, name=name)
        return _guarded(lambda: _snapshot(self._book[name], name, limits))


@contextlib.contextmanager
def _opened(data: bytes, limit: int, max_cells: int) -> Iterator[_Book]:
    package = unpack(data, limit, max_cells)
    book = _guarded(
        lambda: load_workbook(io.BytesIO(package), read_only=True, data_only=False, keep_links=False)
    )
    try:
        yield _Book(book)
    finally:
        with contextlib.suppress(Exception):
            book.close()


def _snapshot(sheet: Any, name: str, limits: _Limits) -> Snapshot:
    # The <dimension> element is the file's claim; ignoring it keeps rows as wide as their cells.
    sheet.reset_dimensions()
    cells: dict[Position, tuple[object, str]] = {}
    overflow = False
    # openpyxl fills gaps with empty rows, so the count is the row number.
    for row, values in enumerate(sheet.iter_rows(max_col=limits.cols), start=1):
        if row > limits.rows:
            overflow = True
            break
        if len(values) > MAX_COLUMNS:  # cells without a reference are numbered on and on
            raise refuse(Code.UNREADABLE)
        for col, cell in enumerate(values, start=1):
            if cell is EMPTY_CELL or (cell.value is None and cell.data_type != "f"):
                continue
            cells[(row, col)] = (cell.value, cell.data_type)
            if len(cells) > limits.cells:
                raise FillInError([Problem(Code.TOO_MANY_CELLS, name)])
    return Snapshot(name, cells, limits.rows, overflow)


# The metadata -----------------------------------------------------------------------------------------


def _read_metadata(book: _Book) -> dict[str, list[str]]:
    sheet = book.snapshot(META_SHEET, _Limits(META_ROWS, 2, 2 * META_ROWS))
    meta: dict[str, list[str]] = {}
    for row in range(2, META_ROWS + 1):
        key = sheet.text((row, 1)).strip()
        if key:
            meta.setdefault(key, []).append(sheet.text((row, 2)).strip())
    return meta


def _single(meta: Mapping[str, list[str]], key: str) -> str | None:
    values = meta.get(key, [])
    return values[0] if len(values) == 1 else None


def _check_metadata(meta: Mapping[str, list[str]], framework: Framework, kind: str) -> None:
    if _single(meta, KEY_FORMAT) != FORMAT_ID:
        raise refuse(Code.NOT_OURS)
    if _single(meta, KEY_KIND) != kind:
        raise refuse(WRONG_KIND[kind])
    slug, version = _single(meta, KEY_SLUG), _single(meta, KEY_VERSION)
    if not slug or not version:
        raise refuse(Code.META_EDITED)
    if (slug, version) != (framework.slug, framework.version):
        found = version if slug == framework.slug else f"{slug} {version}"
        raise refuse(Code.OTHER_VERSION, found=found, expected=framework.version)


def _listed_participants(meta: Mapping[str, list[str]]) -> list[str]:
    codes = meta.get(KEY_PARTICIPANT, [])
    if not codes and meta.get(KEY_OLD_PARTICIPANT):
        raise refuse(Code.OLD_CODES)
    if _single(meta, KEY_COUNT) != str(len(codes)):
        raise refuse(Code.META_EDITED)
    return codes
