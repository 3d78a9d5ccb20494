"""What the fill-in tests share: fresh workbooks (cached), the cells of an answer, and refusals with their
one problem. No database: the frameworks come from tests.domain.shipped, and the hostile variants from
tests/reports/hostile (see make_corpus.py there)."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from openpyxl.utils import get_column_letter

from bansou.domain.framework import Axis, Framework
from bansou.reports import fillin
from bansou.reports.fillin import FillInError, Problem
from bansou.reports.fillin_messages import message
from tests.domain.shipped import FOUR_LEVEL, LEAFLET
from tests.reports.hostile import make_corpus as corpus

FRAMEWORKS = [pytest.param(LEAFLET, id="leaflet"), pytest.param(FOUR_LEVEL, id="four-level")]
SHEET = fillin.PERSONAL_SHEET
PARTICIPANTS = [("P1", "山田　太郎"), ("P2", "佐藤　花子"), ("P3", "髙橋　𠮷子")]

_blanks: dict[str, bytes] = {}


def blank(framework: Framework = LEAFLET) -> bytes:
    if framework.slug not in _blanks:
        _blanks[framework.slug] = corpus.blank(framework)
    return _blanks[framework.slug]


def answer_cell(framework: Framework, code: str, axis: Axis) -> str:
    row = 2 + framework.item_codes().index(code)
    return f"{'E' if axis is Axis.UNDERSTANDING else 'F'}{row}"


@contextmanager
def small_work(most_mb: float) -> Iterator[None]:
    """What runs inside stays small: the peak of what Python allocated meanwhile (tracemalloc; the same
    for the same file on any machine, unlike a clock) is under ``most_mb``. Build the file before."""
    tracemalloc.start()
    try:
        yield
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < most_mb * 2**20, f"{peak / 2**20:.1f} MB allocated at the peak"


def refusal(call: Callable[[], object]) -> FillInError:
    with pytest.raises(FillInError) as caught:
        call()
    assert caught.value.problems
    return caught.value


def only(error: FillInError) -> Problem:
    assert len(error.problems) == 1, error.problems
    return error.problems[0]


def refused_personal(data: bytes, framework: Framework = LEAFLET) -> FillInError:
    return refusal(lambda: fillin.read_personal(data, framework))


def file_message(data: bytes) -> str:
    """The one file-level message an upload is refused with."""
    problem = only(refused_personal(data))
    assert problem.sheet is None and problem.cell is None
    return message(problem)


# Cohorts --------------------------------------------------------------------------------------------


def cohort_file(framework: Framework = LEAFLET, cohort_id: str = "c-1") -> bytes:
    return corpus.rezip(
        fillin.blank_cohort(framework, cohort_id=cohort_id, cohort_name="研修", participants=PARTICIPANTS)
    )


def row_cells(framework: Framework, row: int, pick: Callable[[int], object]) -> dict[str, object]:
    """Every answer cell of one cohort row, filled with ``pick(column index)``."""
    count = 2 * len(framework.item_codes())
    return {f"{get_column_letter(3 + i)}{row}": pick(i) for i in range(count)}


def read_cohort(data: bytes, framework: Framework = LEAFLET, participants: Any = ("P1", "P2", "P3")) -> Any:
    return fillin.read_cohort(data, framework, cohort_id="c-1", participants=participants)


def refused_cohort(data: bytes, participants: Any = ("P1", "P2", "P3")) -> FillInError:
    return refusal(lambda: read_cohort(data, participants=participants))
