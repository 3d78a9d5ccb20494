"""Reading a filled-in workbook back (fillin.reader): round trips of personal and cohort workbooks,
peek_version, the メタデータ checks, the bounds on how much of a sheet is read, and openpyxl fenced in."""

from __future__ import annotations

import zipfile
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from bansou.domain.framework import Axis, Framework
from bansou.reports import fillin
from bansou.reports.fillin import CohortRow, PersonalSheet, reader
from bansou.reports.fillin_messages import message
from tests.domain.shipped import FOUR_LEVEL, LEAFLET
from tests.reports.fillin_helpers import (
    FRAMEWORKS,
    PARTICIPANTS,
    SHEET,
    answer_cell,
    blank,
    cohort_file,
    file_message,
    only,
    read_cohort,
    refusal,
    refused_cohort,
    refused_personal,
    row_cells,
    small_work,
)
from tests.reports.hostile import make_corpus as corpus


def test_filled_answers_read_back() -> None:
    codes = LEAFLET.item_codes()
    cells = {
        "E2": "はい",
        "F2": "いいえ",
        "E3": " はい　",
        "F4": 1,
        "E5": 0.0,
        "F5": "１",
        "E6": "○",
        "F6": "×",
    }
    sheet = fillin.read_personal(corpus.with_cells(blank(), cells), LEAFLET)
    assert sheet == PersonalSheet(
        "leaflet",
        LEAFLET.version,
        {codes[0]: (1, 0), codes[1]: (1, None), codes[2]: (None, 1), codes[3]: (0, 1), codes[4]: (1, 0)},
    )


def typed(framework: Framework, value: int) -> st.SearchStrategy[object]:
    """The ways a person (or Excel) may write one level."""
    label = framework.scale.label_of(value)
    ways: list[object] = [label, f" {label}　", value, float(value), str(value), chr(ord("０") + value)]
    if len(framework.scale.levels) == 2:
        ways += ["○", "◯"] if framework.scale.is_positive(value) else ["×", "✕"]
    return st.sampled_from(ways)


@st.composite
def partial_answers(
    draw: st.DrawFn, framework: Framework
) -> tuple[dict[str, object], dict[str, tuple[int | None, int | None]]]:
    cells: dict[str, object] = {}
    expected: dict[str, tuple[int | None, int | None]] = {}
    levels = st.none() | st.sampled_from(framework.scale.values())
    for code in framework.item_codes():
        pair: list[int | None] = []
        for axis in (Axis.UNDERSTANDING, Axis.PRACTICE):
            value = draw(levels)
            if value is not None:
                cells[answer_cell(framework, code, axis)] = draw(typed(framework, value))
            pair.append(value)
        if pair != [None, None]:
            expected[code] = (pair[0], pair[1])
    return cells, expected


@pytest.mark.parametrize("framework", FRAMEWORKS)
@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_partial_answers_round_trip(framework: Framework, data: st.DataObject) -> None:
    cells, expected = data.draw(partial_answers(framework))
    filled = corpus.with_cells(blank(framework), cells)
    if not expected:
        assert message(only(refused_personal(filled, framework))) == "回答が1つも入力されていません。"
        return
    assert fillin.read_personal(filled, framework) == PersonalSheet(
        framework.slug, framework.version, expected
    )
    assert (
        fillin.read_personal(fillin.blank_personal(framework, answers=expected), framework).answers
        == expected
    )


def test_peek_version() -> None:
    assert fillin.peek_version(blank()) == ("leaflet", LEAFLET.version)
    cohort = fillin.blank_cohort(FOUR_LEVEL, cohort_id="c", cohort_name="n", participants=PARTICIPANTS)
    assert fillin.peek_version(cohort) == ("four-level-example", FOUR_LEVEL.version)
    assert "このサイトの記入用シートではありません" in message(
        only(refusal(lambda: fillin.peek_version(corpus.with_metadata(blank(), "様式", "x"))))
    )
    assert "xlsx 形式のファイルではありません" in message(
        only(refusal(lambda: fillin.peek_version(b"a,b\r\n")))
    )


def test_far_away_rows_stop_the_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl fills the gap with empty rows; the reader stops one row past the table."""
    rows_read: list[int] = []
    iter_rows = ReadOnlyWorksheet.iter_rows

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        rows_read.append(0)
        for row in iter_rows(self, *args, **kwargs):
            rows_read[-1] += 1
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "iter_rows", counted)
    package = corpus.with_cells(corpus.filled(), {"A1048576": "x"})
    problem = only(refused_personal(package))
    assert rows_read and max(rows_read) <= 1047  # 1046 rows of the table, and one more to know
    assert problem.sheet == SHEET and problem.cell is None
    assert message(problem) == "1046 行目より下にも行があります。表の外には何も入力しないでください。"


def test_renamed_answer_sheet() -> None:
    data = corpus.edited(corpus.filled(), lambda book: setattr(book[SHEET], "title", "シート1"))
    assert file_message(data).startswith("シート「チェックシート」がありません。")


def test_missing_metadata_sheet() -> None:
    assert file_message(corpus.without_sheet(corpus.filled(), "メタデータ")).startswith(
        "シート「メタデータ」がありません。"
    )


def test_no_answers() -> None:
    assert file_message(blank()) == "回答が1つも入力されていません。"


def test_other_version() -> None:
    message = file_message(corpus.with_metadata(corpus.filled(), "フレームワークの版", "2024.1"))
    assert message.startswith("このファイルは別の版（版：2024.1）のチェックシートです。")
    assert message.endswith(f"版：{LEAFLET.version} のシートをダウンロードし直してください。")


def test_other_framework() -> None:
    message = file_message(corpus.with_metadata(corpus.filled(), "フレームワークID", "other"))
    assert message.startswith(f"このファイルは別の版（版：other {LEAFLET.version}）のチェックシートです。")


def test_a_file_for_another_framework_is_refused_before_its_grid_is_read() -> None:
    error = refused_personal(corpus.filled(LEAFLET), FOUR_LEVEL)
    assert message(only(error)).startswith("このファイルは別の版（版：leaflet 2025.1）")


def test_other_format_and_duplicated_keys() -> None:
    assert file_message(corpus.with_metadata(corpus.filled(), "様式", "bansou-fillin-0")).startswith(
        "このサイトの記入用シートではありません。"
    )

    def duplicate(book: openpyxl.Workbook) -> None:
        book["メタデータ"].append(["フレームワークの版", "2026.1"])

    assert file_message(corpus.edited(corpus.filled(), duplicate)).startswith(
        "シート「メタデータ」が変更されています。"
    )


def test_kind_mismatch_both_ways() -> None:
    cohort = fillin.blank_cohort(LEAFLET, cohort_id="c", cohort_name="n", participants=PARTICIPANTS)
    assert file_message(cohort).startswith("研修用（参加者全員分）の記入用シートです。")
    error = refusal(lambda: fillin.read_cohort(corpus.filled(), LEAFLET, cohort_id="c", participants=["P1"]))
    assert message(only(error)).startswith("個人用の記入用シートです。")


def test_a_row_wider_than_excel_allows() -> None:
    package = corpus.long_row(fillin.MAX_COLUMNS + 100)
    with small_work(16):  # the one row, and nothing kept of it
        assert file_message(package).startswith("ファイルを読み取れませんでした。")


def test_the_cohort_cell_budget_grows_with_the_participants() -> None:
    people = [(f"P{i}", f"参加者{i}") for i in range(400)]  # 400 x 92 cells: more than PERSONAL_CELLS
    data = fillin.blank_cohort(LEAFLET, cohort_id="c-1", cohort_name="大きな研修", participants=people)
    data = corpus.with_cells(data, row_cells(LEAFLET, 401, lambda i: "はい"), sheet="入力")
    sheet = fillin.read_cohort(data, LEAFLET, cohort_id="c-1", participants=[code for code, _ in people])
    assert [(row.participant, row.row) for row in sheet.rows] == [("P399", 401)]


def test_many_values_beside_the_grid_stop_the_reading() -> None:
    cells = {f"{get_column_letter(col)}{row}": "x" for row in range(2, 252) for col in range(8, 50)}
    assert len(cells) > fillin.EXTRA_CELLS
    problem = only(refused_personal(corpus.with_cells(corpus.filled(), cells)))
    assert (problem.sheet, problem.cell, message(problem)) == (
        SHEET,
        None,
        "表の外に入力されたセルが多すぎます。表の外には何も入力しないでください。",
    )


@pytest.mark.parametrize(
    "exception",
    [KeyError("xl/worksheets/sheet9.xml"), ValueError("bad"), zipfile.BadZipFile("bad"), TypeError()],
)
def test_anything_openpyxl_raises_is_a_fill_in_error(
    monkeypatch: pytest.MonkeyPatch, exception: Exception
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise exception

    monkeypatch.setattr(reader, "load_workbook", broken)
    assert file_message(corpus.filled()).startswith("ファイルを読み取れませんでした。")


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_cohort_round_trip_skips_blank_rows(framework: Framework) -> None:
    levels = framework.scale.levels
    cells = {
        **row_cells(framework, 2, lambda i: levels[i % len(levels)].label),
        **row_cells(framework, 4, lambda i: levels[-1].value),
        "B2": "山田　太郎（修正）",  # names may be corrected
    }
    sheet = read_cohort(corpus.with_cells(cohort_file(framework), cells, sheet="入力"), framework)
    codes = framework.item_codes()
    first = {
        code: (levels[(2 * i) % len(levels)].value, levels[(2 * i + 1) % len(levels)].value)
        for i, code in enumerate(codes)
    }
    top = levels[-1].value
    assert sheet.cohort == "c-1" and sheet.framework_version == framework.version
    assert sheet.rows == (CohortRow("P1", 2, first), CohortRow("P3", 4, dict.fromkeys(codes, (top, top))))


def test_someone_who_left_with_a_blank_row_does_not_spoil_the_file() -> None:
    cells = row_cells(LEAFLET, 2, lambda i: "はい")
    sheet = read_cohort(corpus.with_cells(cohort_file(), cells, sheet="入力"), participants={"P1", "P3"})
    assert [row.participant for row in sheet.rows] == ["P1"]


def test_cohort_wrong_cohort() -> None:
    data = corpus.with_cells(cohort_file(cohort_id="c-2"), row_cells(LEAFLET, 2, lambda i: 1), sheet="入力")
    assert (
        message(only(refused_cohort(data)))
        == "別の研修のファイルです。この研修のページから記入用シートをダウンロードし直してください。"
    )


def test_cohort_participant_count_tampered() -> None:
    data = corpus.with_metadata(cohort_file(), "参加者数", "2")
    assert message(only(refused_cohort(data))).startswith("シート「メタデータ」が変更されています。")


def test_cohort_all_blank() -> None:
    assert message(only(refused_cohort(cohort_file()))) == "回答が1つも入力されていません。"


def test_cohort_other_version() -> None:
    data = corpus.with_cells(cohort_file(), row_cells(LEAFLET, 2, lambda i: 1), sheet="入力")
    data = corpus.with_metadata(data, "フレームワークの版", "2024.1")
    assert message(only(refused_cohort(data))).startswith("このファイルは別の版（版：2024.1）")
