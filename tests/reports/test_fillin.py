"""The offline fill-in workbook: written, reopened with openpyxl, filled in and read back; refused in every
way a file can be wrong or hostile; and fuzzed. No database: the frameworks come from tests.domain.shipped,
and the hostile files from tests/reports/hostile (see make_corpus.py there)."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from bansou.domain.framework import Axis, Framework
from bansou.domain.reports import code_table
from bansou.reports import fillin
from bansou.reports.fillin import CohortRow, FillInError, PersonalSheet, Problem
from tests.domain.shipped import FOUR_LEVEL, LEAFLET
from tests.reports.hostile import make_corpus as corpus

HOSTILE = Path(corpus.__file__).parent
HOSTILE_FILES = sorted(path for path in HOSTILE.iterdir() if corpus.is_corpus_file(path))
FRAMEWORKS = [pytest.param(LEAFLET, id="leaflet"), pytest.param(FOUR_LEVEL, id="four-level")]
SHEET = fillin.PERSONAL_SHEET
FUZZ = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
PARTICIPANTS = [("P1", "山田　太郎"), ("P2", "佐藤　花子"), ("P3", "髙橋　𠮷子")]

_blanks: dict[str, bytes] = {}


def blank(framework: Framework = LEAFLET) -> bytes:
    if framework.slug not in _blanks:
        _blanks[framework.slug] = corpus.blank(framework)
    return _blanks[framework.slug]


def answer_cell(framework: Framework, code: str, axis: Axis) -> str:
    row = 2 + framework.item_codes().index(code)
    return f"{'E' if axis is Axis.UNDERSTANDING else 'F'}{row}"


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
    return problem.message


# The blank workbooks --------------------------------------------------------------------------------


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
    assert header[:4] == ["参加者コード", "氏名", f"{codes[0]} 理解", f"{codes[0]} 実践"]
    assert len(header) == 2 + 2 * len(codes) and header[-1] == f"{codes[-1]} 実践"
    assert [(sheet.cell(row, 1).value, sheet.cell(row, 2).value) for row in (2, 3, 4)] == PARTICIPANTS
    assert sheet["A2"].data_type == "s" and sheet["B4"].data_type == "s"
    assert sheet["A2"].protection.locked and not sheet["C2"].protection.locked
    assert sheet.freeze_panes == "C2" and sheet.protection.sheet
    (validation,) = sheet.data_validations.dataValidation
    assert str(validation.sqref) == f"C2:{get_column_letter(2 + 2 * len(codes))}4"
    meta = [(row[0].value, row[1].value) for row in book["メタデータ"].iter_rows(min_row=2)]
    assert ("種類", "研修") in meta and ("研修ID", "c-1") in meta and ("研修名", "令和7年度 研修") in meta
    assert [value for key, value in meta if key == "参加者コード"] == ["P1", "P2", "P3"]


def test_blank_cohort_refuses_duplicate_participant_codes() -> None:
    with pytest.raises(ValueError, match="distinct"):
        fillin.blank_cohort(LEAFLET, cohort_id="c", cohort_name="x", participants=[("P1", "a"), ("P1", "b")])


# Personal round trips -----------------------------------------------------------------------------


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
        assert only(refused_personal(filled, framework)).message == "回答が1つも入力されていません。"
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
    assert (
        "このサイトの記入用シートではありません"
        in only(refusal(lambda: fillin.peek_version(corpus.with_metadata(blank(), "様式", "x")))).message
    )
    assert (
        "xlsx 形式のファイルではありません" in only(refusal(lambda: fillin.peek_version(b"a,b\r\n"))).message
    )


# Personal refusals: the grid ----------------------------------------------------------------------


def test_values_not_on_the_scale_name_the_cell() -> None:
    cells = {"E2": "たぶん", "F2": True, "E3": 2, "F3": 0.5, "E4": "1.0", "F4": "=1+0", "E5": "はい"}
    error = refused_personal(corpus.with_cells(blank(), cells))
    by_cell = {problem.cell: problem for problem in error.problems}
    assert by_cell["E2"].message == "「はい」か「いいえ」を入力してください（入力値：「たぶん」）。"
    assert str(by_cell["E2"]) == (
        "シート「チェックシート」のセル E2：「はい」か「いいえ」を入力してください（入力値：「たぶん」）。"
    )
    assert by_cell["F2"].message.endswith("（入力値：「TRUE」）。")
    assert by_cell["E3"].message.endswith("（入力値：「2」）。")
    assert by_cell["F3"].message.endswith("（入力値：「0.5」）。")
    assert by_cell["E4"].message.endswith("（入力値：「1.0」）。")
    assert by_cell["F4"].message == "数式は使えません。値を入力してください。"
    assert set(by_cell) == {"E2", "F2", "E3", "F3", "E4", "F4"}
    assert all(problem.sheet == SHEET for problem in error.problems)


def test_four_level_bad_value_lists_the_labels() -> None:
    problem = only(refused_personal(corpus.with_cells(blank(FOUR_LEVEL), {"F3": "○"}), FOUR_LEVEL))
    assert problem.cell == "F3"
    assert problem.message == (
        "「できている」「ある程度できている」「あまりできていない」「できていない」のいずれかを入力してください"
        "（入力値：「○」）。"
    )


def test_formula_is_refused_even_with_a_valid_result() -> None:
    problem = only(refused_personal(corpus.with_cells(corpus.filled(), {"E2": "=1+0"})))
    assert (problem.sheet, problem.cell, problem.message) == (
        SHEET,
        "E2",
        "数式は使えません。値を入力してください。",
    )


def test_formula_in_a_fixed_cell() -> None:
    problem = only(refused_personal(corpus.with_cells(corpus.filled(), {"C3": '="②対立に介入する力"'})))
    assert (problem.cell, problem.message) == ("C3", "数式は使えません。値を入力してください。")


def test_edited_item_name() -> None:
    problem = only(refused_personal(corpus.with_cells(corpus.filled(), {"C3": "書き換えた"})))
    assert (problem.sheet, problem.cell) == (SHEET, "C3")
    assert problem.message == "このセルは変更できません（元の値：「②対立に介入する力」）。"


def test_edited_header_and_cleared_description() -> None:
    error = refused_personal(corpus.with_cells(corpus.filled(), {"E1": "わかる", "D2": None}))
    assert [problem.cell for problem in error.problems] == ["E1", "D2"]
    assert error.problems[0].message == "このセルは変更できません（元の値：「理解」）。"


def test_element_number_typed_as_a_number_is_the_same_text() -> None:
    assert fillin.read_personal(corpus.with_cells(corpus.filled(), {"B2": 2}), LEAFLET).answers


@pytest.mark.parametrize("cell", ["H2", "G1", "A47", "F60", "XFD2"])
def test_values_outside_the_grid(cell: str) -> None:
    problem = only(refused_personal(corpus.with_cells(corpus.filled(), {cell: "メモ"})))
    assert (problem.sheet, problem.cell) == (SHEET, cell)
    assert problem.message == "表の外のセルには入力できません（入力値：「メモ」）。"


def test_a_blank_string_outside_the_grid_is_nothing() -> None:
    assert fillin.read_personal(corpus.with_cells(corpus.filled(), {"H2": "  "}), LEAFLET).answers


def test_far_away_rows_stop_the_reading() -> None:
    started = time.perf_counter()
    problem = only(refused_personal(corpus.with_cells(corpus.filled(), {"A1048576": "x"})))
    assert time.perf_counter() - started < 5
    assert problem.sheet == SHEET and problem.cell is None
    assert problem.message == "1046 行目より下にも行があります。表の外には何も入力しないでください。"


def test_deleted_row_is_one_problem() -> None:
    problem = only(refused_personal(corpus.without_row(corpus.filled(), 5)))
    assert (problem.sheet, problem.cell) == (SHEET, "A5")
    assert problem.message == (
        "このセルは変更できません（元の値：「2-4」）。行を削除・挿入したり並べ替えたりしないでください。"
    )


def test_inserted_row() -> None:
    data = corpus.edited(corpus.filled(), lambda book: book[SHEET].insert_rows(3))
    error = refused_personal(data)
    assert error.problems[0].cell == "A3" and "行を削除・挿入" in error.problems[0].message
    assert any(problem.cell == "A47" for problem in error.problems)  # the last item, pushed out of the grid


def test_renamed_answer_sheet() -> None:
    data = corpus.edited(corpus.filled(), lambda book: setattr(book[SHEET], "title", "シート1"))
    assert file_message(data).startswith("シート「チェックシート」がありません。")


def test_missing_metadata_sheet() -> None:
    assert file_message(corpus.without_sheet(corpus.filled(), "メタデータ")).startswith(
        "シート「メタデータ」がありません。"
    )


def test_no_answers() -> None:
    assert file_message(blank()) == "回答が1つも入力されていません。"


def test_problems_are_capped() -> None:
    cells = {f"{column}{row}": "たぶん" for row in range(2, 47) for column in "EF"}  # 90 bad values
    error = refused_personal(corpus.with_cells(blank(), cells))
    assert len(error.problems) == fillin.MAX_PROBLEMS + 1
    assert error.problems[-1] == Problem(
        None, None, "ほかに 40 件の問題があります（最初の 50 件だけを表示しています）。"
    )


def test_the_module_does_not_need_django() -> None:
    code = "import sys, bansou.reports.fillin; assert not [m for m in sys.modules if m.startswith('django')]"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])


def test_problem_as_text() -> None:
    assert str(Problem(None, None, "文。")) == "文。"
    assert str(Problem("入力", None, "文。")) == "シート「入力」：文。"
    assert str(Problem("入力", "F12", "文。")) == "シート「入力」のセル F12：文。"
    assert str(FillInError([Problem(None, None, "一。"), Problem("入力", "A1", "二。")])) == (
        "一。\nシート「入力」のセル A1：二。"
    )


# Personal refusals: the metadata ------------------------------------------------------------------


def test_other_version() -> None:
    message = file_message(corpus.with_metadata(corpus.filled(), "フレームワークの版", "2024.1"))
    assert message.startswith("このファイルは別の版（版：2024.1）のチェックシートです。")
    assert message.endswith(f"版：{LEAFLET.version} のシートをダウンロードし直してください。")


def test_other_framework() -> None:
    message = file_message(corpus.with_metadata(corpus.filled(), "フレームワークID", "other"))
    assert message.startswith(f"このファイルは別の版（版：other {LEAFLET.version}）のチェックシートです。")


def test_a_file_for_another_framework_is_refused_before_its_grid_is_read() -> None:
    error = refused_personal(corpus.filled(LEAFLET), FOUR_LEVEL)
    assert only(error).message.startswith("このファイルは別の版（版：leaflet 2025.1）")


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
    assert only(error).message.startswith("個人用の記入用シートです。")


# Personal refusals: the file ----------------------------------------------------------------------


def test_too_large() -> None:
    assert (
        file_message(b"PK\x03\x04" + bytes(fillin.PERSONAL_LIMIT)) == "ファイルが大きすぎます（上限 2 MB）。"
    )
    big = b"PK\x03\x04" + bytes(fillin.COHORT_LIMIT)
    error = refusal(lambda: fillin.read_cohort(big, LEAFLET, cohort_id="c", participants=[]))
    assert only(error).message == "ファイルが大きすぎます（上限 10 MB）。"


@pytest.mark.parametrize(
    ("data", "start"),
    [
        (b"", "ファイルが空です。"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "古い Excel 形式（.xls）のファイルか、"),
        ("項目コード,理解,実践\r\n2-1,はい,いいえ\r\n".encode(), "xlsx 形式のファイルではありません。"),
        ("2-1\tはい".encode("cp932"), "xlsx 形式のファイルではありません。"),
        (bytes(range(256)) * 8, "xlsx 形式のファイルではありません。"),
        (b"PK\x03\x04" + bytes(range(256)) * 8, "ファイルを読み取れませんでした。"),
        (corpus.zipped([("readme.txt", b"hello")]), "xlsx 形式のファイルではありません。"),
    ],
    ids=["empty", "xls", "csv", "cp932-text", "random", "random-pk", "plain-zip"],
)
def test_not_an_xlsx(data: bytes, start: str) -> None:
    assert file_message(data).startswith(start)


def test_truncated_xlsx() -> None:
    valid = corpus.filled()
    assert file_message(valid[: len(valid) // 2]).startswith("ファイルを読み取れませんでした。")
    assert file_message(valid[:-10]).startswith("ファイルを読み取れませんでした。")


def test_zip_bomb() -> None:
    bomb = corpus.zip_bomb(50 * 1024 * 1024)
    assert len(bomb) < fillin.PERSONAL_LIMIT
    started = time.perf_counter()
    assert file_message(bomb).startswith("圧縮を展開すると大きくなりすぎるファイルです。")
    assert time.perf_counter() - started < 2


def test_total_unpacked_size_is_counted_from_real_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fillin, "UNPACKED_LIMIT", 20_000)
    assert file_message(corpus.filled()).startswith("圧縮を展開すると大きくなりすぎるファイルです。")


def test_header_sizes_are_not_trusted() -> None:
    """A central directory that understates a member's size does not raise the budget."""
    data = bytearray(corpus.zip_bomb(3 * 1024 * 1024))
    central = data.find(b"PK\x01\x02")
    while central != -1:  # claim every member is 10 bytes
        data[central + 24 : central + 28] = (10).to_bytes(4, "little")
        central = data.find(b"PK\x01\x02", central + 46)
    message = file_message(bytes(data))
    assert message.startswith(("圧縮を展開すると", "ファイルを読み取れませんでした。"))


def test_too_many_entries() -> None:
    assert file_message(corpus.many_entries(fillin.MAX_ENTRIES + 1)).startswith("圧縮を展開すると")


MACRO = "マクロや外部リンクを含むファイルは受け付けません。"


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(corpus.macro_workbook, id="xlsm-content-type"),
        pytest.param(lambda: corpus.rezip(corpus.filled(), add=[("xl/vbaProject.bin", b"x")]), id="vba"),
        pytest.param(
            lambda: corpus.rezip(corpus.filled(), add=[("xl/externalLinks/externalLink1.xml", b"<e/>")]),
            id="external-link",
        ),
        pytest.param(corpus.external_rels, id="external-relationship"),
        pytest.param(
            lambda: corpus.rezip(corpus.filled(), add=[("xl/activeX/activeX1.xml", b"<a/>")]), id="activex"
        ),
        pytest.param(
            lambda: corpus.rezip(corpus.filled(), add=[("xl/embeddings/x.bin", b"x")]), id="embedding"
        ),
        pytest.param(lambda: corpus.rezip(corpus.filled(), add=[("xl/data.bin", b"x")]), id="bin"),
    ],
)
def test_active_content(build: Callable[[], bytes]) -> None:
    assert file_message(build()).startswith(MACRO)


def test_printer_settings_and_media_are_inert_and_dropped() -> None:
    extra = [("xl/printerSettings/printerSettings1.bin", b"\x00" * 64), ("xl/media/image1.png", b"\x89PNG")]
    assert fillin.read_personal(corpus.rezip(corpus.filled(), add=extra), LEAFLET).answers


def test_hyperlinks_in_cells_are_not_external_links() -> None:
    def link(book: openpyxl.Workbook) -> None:
        book[SHEET]["E2"].hyperlink = "https://example.com/"

    assert fillin.read_personal(corpus.edited(corpus.filled(), link), LEAFLET).answers


@pytest.mark.parametrize("name", ["../../evil.xml", "/etc/evil.xml", "xl\\..\\evil.xml", "C:/evil.xml"])
def test_unsafe_member_names(name: str) -> None:
    message = file_message(corpus.rezip(corpus.filled(), add=[(name, b"<evil/>")]))
    assert message.startswith("ファイルを読み取れませんでした（中に不正な名前のファイルがあります）。")


def test_encrypted_member() -> None:
    data = corpus.set_encrypted_flag(corpus.filled(), corpus.SHEET_XML)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo(corpus.SHEET_XML).flag_bits & 0x1
    assert (
        file_message(data)
        == "暗号化されたファイルは読み取れません。パスワードを外して保存し直してから選んでください。"
    )


def test_duplicate_member() -> None:
    data = corpus.rezip(corpus.filled(), add=[(corpus.SHEET_XML, b"<worksheet/>")])
    assert file_message(data).startswith("ファイルを読み取れませんでした。")


def test_unusual_compression_method() -> None:
    parts = corpus.members(corpus.filled())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    assert file_message(out.getvalue()).startswith("ファイルを読み取れませんでした。")


@pytest.mark.parametrize(
    "sheet",
    [
        pytest.param(b"\x00\x01garbage", id="garbage"),
        pytest.param(corpus.MALFORMED_SHEET, id="malformed"),
        pytest.param(corpus.BILLION_LAUGHS, id="billion-laughs"),
        pytest.param(corpus.EXTERNAL_ENTITY, id="external-entity"),
        pytest.param(b"", id="empty"),
        pytest.param(b'<?xml version="1.0" encoding="cp500"?><worksheet/>', id="ebcdic-declared"),
    ],
)
def test_bad_sheet_xml(sheet: bytes) -> None:
    started = time.perf_counter()
    assert file_message(corpus.rezip(corpus.filled(), replace={corpus.SHEET_XML: sheet})).startswith(
        "ファイルを読み取れませんでした。"
    )
    assert time.perf_counter() - started < 2


def test_utf16_sheet() -> None:
    assert file_message(corpus.utf16_sheet()).startswith("ファイルを読み取れませんでした。")


def test_a_row_wider_than_excel_allows() -> None:
    started = time.perf_counter()
    assert file_message(corpus.long_row(fillin.MAX_COLUMNS + 100)).startswith(
        "ファイルを読み取れませんでした。"
    )
    assert time.perf_counter() - started < 2


def test_too_many_cells_are_refused_before_openpyxl_parses_them(monkeypatch: pytest.MonkeyPatch) -> None:
    data = corpus.long_row(fillin.PERSONAL_CELLS + 1)
    started = time.perf_counter()
    assert file_message(data).startswith("セルの数が多すぎるファイルです。")
    assert time.perf_counter() - started < 1
    monkeypatch.setattr(fillin, "PEEK_CELLS", 100)
    error = refusal(lambda: fillin.peek_version(corpus.filled()))
    assert only(error).message.startswith("セルの数が多すぎるファイルです。")


def test_the_cohort_cell_budget_grows_with_the_participants() -> None:
    people = [(f"P{i}", f"参加者{i}") for i in range(400)]  # 400 x 92 cells: more than PERSONAL_CELLS
    data = fillin.blank_cohort(LEAFLET, cohort_id="c-1", cohort_name="大きな研修", participants=people)
    data = corpus.with_cells(data, row_cells(LEAFLET, 401, lambda i: "はい"), sheet="入力")
    sheet = fillin.read_cohort(data, LEAFLET, cohort_id="c-1", participants=[code for code, _ in people])
    assert [(row.participant, row.row) for row in sheet.rows] == [("P399", 401)]


def test_too_many_tags_of_any_kind() -> None:
    sheet = corpus.members(corpus.filled())[corpus.SHEET_XML]
    merges = b"".join(b'<mergeCell ref="H%d:I%d"/>' % (i, i) for i in range(1, 170_000))
    sheet = sheet.replace(b"</sheetData>", b"</sheetData><mergeCells>" + merges + b"</mergeCells>")
    data = corpus.rezip(corpus.filled(), replace={corpus.SHEET_XML: sheet})
    assert file_message(data).startswith("セルの数が多すぎるファイルです。")


def test_many_values_beside_the_grid_stop_the_reading() -> None:
    cells = {f"{get_column_letter(col)}{row}": "x" for row in range(2, 252) for col in range(8, 50)}
    assert len(cells) > fillin.EXTRA_CELLS
    problem = only(refused_personal(corpus.with_cells(corpus.filled(), cells)))
    assert problem == Problem(
        SHEET, None, "表の外に入力されたセルが多すぎます。表の外には何も入力しないでください。"
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

    monkeypatch.setattr(fillin, "load_workbook", broken)
    assert file_message(corpus.filled()).startswith("ファイルを読み取れませんでした。")


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


def test_cohort_incomplete_row_names_the_blank_cells() -> None:
    cells = {**row_cells(LEAFLET, 2, lambda i: "はい"), "C3": "はい", "D3": "いいえ"}
    cells["E2"] = None
    error = refused_cohort(corpus.with_cells(cohort_file(), cells, sheet="入力"))
    blank = "回答が空欄です。回答する参加者の行は、すべての項目の「理解」と「実践」を入力してください。"
    assert [(p.cell, p.message) for p in error.problems[:6]] == [
        ("E2", blank),
        ("E3", blank),
        ("F3", blank),
        ("G3", blank),
        ("H3", blank),
        ("I3", blank),
    ]
    assert error.problems[-1] == Problem("入力", None, "3 行目には、ほかにも空欄が 83 個あります。")


def test_cohort_bad_value_and_formula() -> None:
    cells = {**row_cells(LEAFLET, 2, lambda i: "はい"), "D2": "はいはい", "E2": "=1"}
    error = refused_cohort(corpus.with_cells(cohort_file(), cells, sheet="入力"))
    assert [(p.cell, p.message) for p in error.problems] == [
        ("D2", "「はい」か「いいえ」を入力してください（入力値：「はいはい」）。"),
        ("E2", "数式は使えません。値を入力してください。"),
    ]


def test_cohort_unknown_participant() -> None:
    cells = row_cells(LEAFLET, 3, lambda i: "はい")
    error = refused_cohort(corpus.with_cells(cohort_file(), cells, sheet="入力"), participants={"P1", "P3"})
    problem = only(error)
    assert (problem.sheet, problem.cell) == ("入力", "A3")
    assert problem.message == "参加者コード「P2」の人は、この研修の参加者ではありません。"


def test_someone_who_left_with_a_blank_row_does_not_spoil_the_file() -> None:
    cells = row_cells(LEAFLET, 2, lambda i: "はい")
    sheet = read_cohort(corpus.with_cells(cohort_file(), cells, sheet="入力"), participants={"P1", "P3"})
    assert [row.participant for row in sheet.rows] == ["P1"]


def test_cohort_edited_participant_code() -> None:
    cells = {**row_cells(LEAFLET, 2, lambda i: "はい"), "A3": "P9"}
    problem = only(refused_cohort(corpus.with_cells(cohort_file(), cells, sheet="入力")))
    assert problem.cell == "A3" and problem.message.startswith("このセルは変更できません（元の値：「P2」）。")


def test_cohort_duplicate_participant_code() -> None:
    """Made by hand: the 入力 cell and the メタデータ row both changed, as a careful forger would."""

    def forge(book: openpyxl.Workbook) -> None:
        book["入力"]["A4"] = "P1"
        for row in book["メタデータ"].iter_rows(min_row=2):
            if row[0].value == "参加者コード" and row[1].value == "P3":
                row[1].value = "P1"
        for column in range(3, 3 + 90):
            book["入力"].cell(row=4, column=column).value = "はい"

    problem = only(refused_cohort(corpus.edited(cohort_file(), forge)))
    assert (problem.sheet, problem.cell) == ("入力", "A4")
    assert problem.message == "参加者コード「P1」が重複しています（セル A2 と同じです）。"


def test_cohort_deleted_row() -> None:
    data = corpus.without_row(
        corpus.with_cells(cohort_file(), row_cells(LEAFLET, 2, lambda i: 1), sheet="入力"), 3, "入力"
    )
    problem = only(refused_cohort(data))
    assert problem.cell == "A3" and "行を削除・挿入" in problem.message


def test_cohort_wrong_cohort() -> None:
    data = corpus.with_cells(cohort_file(cohort_id="c-2"), row_cells(LEAFLET, 2, lambda i: 1), sheet="入力")
    assert (
        only(refused_cohort(data)).message
        == "別の研修のファイルです。この研修のページから記入用シートをダウンロードし直してください。"
    )


def test_cohort_participant_count_tampered() -> None:
    data = corpus.with_metadata(cohort_file(), "参加者数", "2")
    assert only(refused_cohort(data)).message.startswith("シート「メタデータ」が変更されています。")


def test_cohort_all_blank() -> None:
    assert only(refused_cohort(cohort_file())).message == "回答が1つも入力されていません。"


def test_cohort_other_version() -> None:
    data = corpus.with_cells(cohort_file(), row_cells(LEAFLET, 2, lambda i: 1), sheet="入力")
    data = corpus.with_metadata(data, "フレームワークの版", "2024.1")
    assert only(refused_cohort(data)).message.startswith("このファイルは別の版（版：2024.1）")


# The hostile corpus -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", HOSTILE_FILES, ids=lambda path: path.name)
def test_hostile_file_is_refused_by_both_readers(path: Path) -> None:
    data = path.read_bytes()
    assert len(data) <= 60_000
    refusal(lambda: fillin.read_personal(data, LEAFLET))
    refusal(lambda: fillin.read_cohort(data, LEAFLET, cohort_id="hostile", participants={"P1", "P2"}))


def test_hostile_corpus_is_current_and_deterministic() -> None:
    first, second = corpus.corpus(), corpus.corpus()
    assert first == second
    assert sorted(first) == [path.name for path in HOSTILE_FILES]
    for path in HOSTILE_FILES:
        # Compare unpacked parts where both open as zips: deflate output may differ between zlib builds.
        expected, found = first[path.name], path.read_bytes()
        assert _parts_or_bytes(expected) == _parts_or_bytes(found), path.name


def _parts_or_bytes(data: bytes) -> Mapping[str, bytes] | bytes:
    try:
        return corpus.members(data)
    except Exception:
        return data


# Fuzzing ------------------------------------------------------------------------------------------

_valid: dict[str, bytes] = {}


def valid() -> bytes:
    if "file" not in _valid:
        _valid["file"] = corpus.filled()
    return _valid["file"]


def check_outcome(data: bytes) -> None:
    """Either a personal sheet whose answers are all on the scale, or a FillInError; nothing else."""
    try:
        sheet = fillin.read_personal(data, LEAFLET)
    except FillInError:
        pass  # FillInError itself guarantees at least one problem
    else:
        assert sheet.answers and set(sheet.answers) <= set(LEAFLET.item_codes())
        values = set(LEAFLET.scale.values())
        assert all(value is None or value in values for pair in sheet.answers.values() for value in pair)
        assert all(pair != (None, None) for pair in sheet.answers.values())
    with contextlib.suppress(FillInError):
        fillin.read_cohort(data, LEAFLET, cohort_id="c", participants={"P1"})
    try:
        slug, version = fillin.peek_version(data)
    except FillInError:
        pass
    else:
        assert isinstance(slug, str) and isinstance(version, str)


@FUZZ
@given(st.binary(max_size=4096) | st.binary(max_size=4096).map(lambda tail: b"PK\x03\x04" + tail))
def test_fuzz_arbitrary_bytes(data: bytes) -> None:
    refusal(lambda: fillin.read_personal(data, LEAFLET))
    refusal(lambda: fillin.peek_version(data))


Edit = tuple[str, int, int]  # (operation, position, byte)
edits = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete", "set"]), st.integers(0, 1 << 20), st.integers(0, 255)
    ),
    min_size=1,
    max_size=6,
)


def mutate(data: bytes, operations: list[Edit]) -> bytes:
    out = bytearray(data)
    for operation, position, byte in operations:
        index = position % (len(out) + 1)
        if operation == "insert":
            out.insert(index, byte)
        elif out and index < len(out):
            if operation == "delete":
                del out[index]
            elif operation == "flip":
                out[index] ^= 1 << (byte % 8)
            else:
                out[index] = byte
    return bytes(out)


@FUZZ
@given(edits)
def test_fuzz_mutated_file_bytes(operations: list[Edit]) -> None:
    check_outcome(mutate(valid(), operations))


TOKENS = [
    b"<c><v>1</v></c>",
    b'<c r="XFD1048576"><v>1</v></c>',
    b'<c r="AAAA1"/>',
    b'<row r="99999999">',
    b"<!DOCTYPE x>",
    b'"',
    b"<",
    b">",
    b"/>",
    b"</c>",
    b'r="E2"',
    b'r="Q9"',
    b't="s"',
    b't="b"',
    b't="e"',
    b"<f>1</f>",
    b"&amp;",
    b"\x00",
]


@FUZZ
@given(
    member=st.sampled_from(sorted(corpus.members(corpus.filled()))),
    operations=edits,
    tokens=st.lists(st.tuples(st.integers(0, 1 << 20), st.sampled_from(TOKENS)), max_size=3),
)
def test_fuzz_mutated_parts_inside_a_valid_zip(
    member: str, operations: list[Edit], tokens: list[tuple[int, bytes]]
) -> None:
    parts = corpus.members(valid())
    body = mutate(parts[member], operations)
    for position, token in tokens:
        index = position % (len(body) + 1)
        body = body[:index] + token + body[index:]
    check_outcome(corpus.zipped({**parts, member: body}.items()))


cell_values = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["はい", "いいえ", "１", "○", "×", "=1", "2-1", "TRUE"]),
    st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
coordinates = st.tuples(st.integers(1, 50), st.integers(1, 9)).map(
    lambda rc: f"{get_column_letter(rc[1])}{rc[0]}"
)


@settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(coordinates, cell_values, min_size=1, max_size=6))
def test_fuzz_cell_values(cells: dict[str, object]) -> None:
    cells = {coordinate: value for coordinate, value in cells.items() if not _illegal(value)}
    check_outcome(corpus.with_cells(valid(), cells))


def _illegal(value: object) -> bool:
    """Control characters openpyxl itself refuses to write."""
    return isinstance(value, str) and any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value)
