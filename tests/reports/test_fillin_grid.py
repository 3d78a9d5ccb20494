"""The answer sheet checked cell by cell (fillin.grid): values off the scale, formulas, edited fixed
cells, values outside the grid, moved rows; and a cohort's rows: blanks, unknown and duplicate
participants."""

from __future__ import annotations

import openpyxl
import pytest

from bansou.reports import fillin
from bansou.reports.fillin_messages import describe, message
from tests.domain.shipped import FOUR_LEVEL, LEAFLET
from tests.reports.fillin_helpers import (
    SHEET,
    blank,
    cohort_file,
    only,
    refused_cohort,
    refused_personal,
    row_cells,
)
from tests.reports.hostile import make_corpus as corpus


def test_values_not_on_the_scale_name_the_cell() -> None:
    cells = {"E2": "たぶん", "F2": True, "E3": 2, "F3": 0.5, "E4": "1.0", "F4": "=1+0", "E5": "はい"}
    error = refused_personal(corpus.with_cells(blank(), cells))
    by_cell = {problem.cell: problem for problem in error.problems}
    assert message(by_cell["E2"]) == "「はい」か「いいえ」を入力してください（入力値：「たぶん」）。"
    assert describe(by_cell["E2"]) == (
        "シート「チェックシート」のセル E2：「はい」か「いいえ」を入力してください（入力値：「たぶん」）。"
    )
    assert message(by_cell["F2"]).endswith("（入力値：「TRUE」）。")
    assert message(by_cell["E3"]).endswith("（入力値：「2」）。")
    assert message(by_cell["F3"]).endswith("（入力値：「0.5」）。")
    assert message(by_cell["E4"]).endswith("（入力値：「1.0」）。")
    assert message(by_cell["F4"]) == "数式は使えません。値を入力してください。"
    assert set(by_cell) == {"E2", "F2", "E3", "F3", "E4", "F4"}
    assert all(problem.sheet == SHEET for problem in error.problems)


def test_four_level_bad_value_lists_the_labels() -> None:
    problem = only(refused_personal(corpus.with_cells(blank(FOUR_LEVEL), {"F3": "○"}), FOUR_LEVEL))
    assert problem.cell == "F3"
    assert message(problem) == (
        "「できている」「ある程度できている」「あまりできていない」「できていない」のいずれかを入力してください"
        "（入力値：「○」）。"
    )


def test_formula_is_refused_even_with_a_valid_result() -> None:
    problem = only(refused_personal(corpus.with_cells(corpus.filled(), {"E2": "=1+0"})))
    assert (problem.sheet, problem.cell, message(problem)) == (
        SHEET,
        "E2",
        "数式は使えません。値を入力してください。",
    )


def test_formula_in_a_fixed_cell() -> None:
    problem = only(refused_personal(corpus.with_cells(corpus.filled(), {"C3": '="②対立に介入する力"'})))
    assert (problem.cell, message(problem)) == ("C3", "数式は使えません。値を入力してください。")


def test_edited_item_name() -> None:
    problem = only(refused_personal(corpus.with_cells(corpus.filled(), {"C3": "書き換えた"})))
    assert (problem.sheet, problem.cell) == (SHEET, "C3")
    assert message(problem) == "このセルは変更できません（元の値：「②対立に介入する力」）。"


def test_edited_header_and_cleared_description() -> None:
    error = refused_personal(corpus.with_cells(corpus.filled(), {"E1": "わかる", "D2": None}))
    assert [problem.cell for problem in error.problems] == ["E1", "D2"]
    assert message(error.problems[0]) == "このセルは変更できません（元の値：「理解」）。"


def test_element_number_typed_as_a_number_is_the_same_text() -> None:
    assert fillin.read_personal(corpus.with_cells(corpus.filled(), {"B2": 2}), LEAFLET).answers


@pytest.mark.parametrize("cell", ["H2", "G1", "A47", "F60", "XFD2"])
def test_values_outside_the_grid(cell: str) -> None:
    problem = only(refused_personal(corpus.with_cells(corpus.filled(), {cell: "メモ"})))
    assert (problem.sheet, problem.cell) == (SHEET, cell)
    assert message(problem) == "表の外のセルには入力できません（入力値：「メモ」）。"


def test_a_blank_string_outside_the_grid_is_nothing() -> None:
    assert fillin.read_personal(corpus.with_cells(corpus.filled(), {"H2": "  "}), LEAFLET).answers


def test_deleted_row_is_one_problem() -> None:
    problem = only(refused_personal(corpus.without_row(corpus.filled(), 5)))
    assert (problem.sheet, problem.cell) == (SHEET, "A5")
    assert message(problem) == (
        "このセルは変更できません（元の値：「2-4」）。行を削除・挿入したり並べ替えたりしないでください。"
    )


def test_inserted_row() -> None:
    data = corpus.edited(corpus.filled(), lambda book: book[SHEET].insert_rows(3))
    error = refused_personal(data)
    assert error.problems[0].cell == "A3" and "行を削除・挿入" in message(error.problems[0])
    assert any(problem.cell == "A47" for problem in error.problems)  # the last item, pushed out of the grid


def test_cohort_incomplete_row_names_the_blank_cells() -> None:
    cells = {**row_cells(LEAFLET, 2, lambda i: "はい"), "C3": "はい", "D3": "いいえ"}
    cells["E2"] = None
    error = refused_cohort(corpus.with_cells(cohort_file(), cells, sheet="入力"))
    blank = "回答が空欄です。回答する参加者の行は、すべての項目の「理解」と「実践」を入力してください。"
    assert [(p.cell, message(p)) for p in error.problems[:6]] == [
        ("E2", blank),
        ("E3", blank),
        ("F3", blank),
        ("G3", blank),
        ("H3", blank),
        ("I3", blank),
    ]
    last = error.problems[-1]
    assert (last.sheet, last.cell, message(last)) == (
        "入力",
        None,
        "3 行目には、ほかにも空欄が 83 個あります。",
    )


def test_cohort_bad_value_and_formula() -> None:
    cells = {**row_cells(LEAFLET, 2, lambda i: "はい"), "D2": "はいはい", "E2": "=1"}
    error = refused_cohort(corpus.with_cells(cohort_file(), cells, sheet="入力"))
    assert [(p.cell, message(p)) for p in error.problems] == [
        ("D2", "「はい」か「いいえ」を入力してください（入力値：「はいはい」）。"),
        ("E2", "数式は使えません。値を入力してください。"),
    ]


def test_cohort_unknown_participant() -> None:
    cells = row_cells(LEAFLET, 3, lambda i: "はい")
    error = refused_cohort(corpus.with_cells(cohort_file(), cells, sheet="入力"), participants={"P1", "P3"})
    problem = only(error)
    assert (problem.sheet, problem.cell) == ("入力", "A3")
    assert message(problem) == "参加者番号「P2」の人は、この研修の参加者ではありません。"


def test_cohort_edited_participant_code() -> None:
    cells = {**row_cells(LEAFLET, 2, lambda i: "はい"), "A3": "P9"}
    problem = only(refused_cohort(corpus.with_cells(cohort_file(), cells, sheet="入力")))
    assert problem.cell == "A3" and message(problem).startswith(
        "このセルは変更できません（元の値：「P2」）。"
    )


def test_cohort_duplicate_participant_code() -> None:
    """Made by hand: the 入力 cell and the メタデータ row both changed, as a careful forger would."""

    def forge(book: openpyxl.Workbook) -> None:
        book["入力"]["A4"] = "P1"
        for row in book["メタデータ"].iter_rows(min_row=2):
            if row[0].value == "参加者番号" and row[1].value == "P3":
                row[1].value = "P1"
        for column in range(3, 3 + 90):
            book["入力"].cell(row=4, column=column).value = "はい"

    problem = only(refused_cohort(corpus.edited(cohort_file(), forge)))
    assert (problem.sheet, problem.cell) == ("入力", "A4")
    assert message(problem) == "参加者番号「P1」が重複しています（セル A2 と同じです）。"


def test_cohort_deleted_row() -> None:
    data = corpus.without_row(
        corpus.with_cells(cohort_file(), row_cells(LEAFLET, 2, lambda i: 1), sheet="入力"), 3, "入力"
    )
    problem = only(refused_cohort(data))
    assert problem.cell == "A3" and "行を削除・挿入" in message(problem)
