"""The fill-in problems in words (fillin_messages): every code has its message, every placeholder is
filled from the problem's parameters, and the place comes first."""

from __future__ import annotations

import re

import pytest

from bansou.reports.fillin import Code, FillInError, Problem
from bansou.reports.fillin_messages import MESSAGES, describe, describe_all, message

PARAMS: dict[Code, dict[str, str | int | tuple[str, ...]]] = {
    Code.TOO_LARGE: {"mb": 2},
    Code.MISSING_SHEET: {"name": "メタデータ"},
    Code.OTHER_VERSION: {"found": "2024.1", "expected": "2025.1"},
    Code.LEFT_OUT: {"count": 40, "kept": 50},
    Code.OVERFLOW: {"rows": 1046},
    Code.MORE_BLANKS: {"row": 3, "count": 83},
    Code.CHANGED: {"expected": "理解"},
    Code.MOVED: {"expected": "2-4"},
    Code.OUTSIDE: {"value": "メモ"},
    Code.BAD_VALUE: {"labels": ("はい", "いいえ"), "value": "たぶん"},
    Code.BLANK: {"understanding": "理解", "practice": "実践"},
    Code.UNKNOWN_PARTICIPANT: {"code": "P2"},
    Code.DUPLICATE: {"code": "P1", "first": "A2"},
}


def test_every_code_has_a_message() -> None:
    assert set(MESSAGES) == set(Code)


@pytest.mark.parametrize("code", list(Code))
def test_placeholders_are_filled(code: Code) -> None:
    params = PARAMS.get(code, {})
    template = str(MESSAGES[code])
    named = set(re.findall(r"%\((\w+)\)s", template))
    expected = set(params) - {"labels"} | ({"choices"} if "labels" in params else set())
    assert named == expected
    text = message(Problem(code, params=params))
    assert text and "%(" not in text and text.endswith("。")
    for name, value in params.items():
        if name != "labels":
            assert str(value) in text


def test_the_labels_are_said_as_the_workbook_says_them() -> None:
    two = Problem(Code.BAD_VALUE, "チェックシート", "E2", {"labels": ("はい", "いいえ"), "value": "たぶん"})
    assert message(two) == "「はい」か「いいえ」を入力してください（入力値：「たぶん」）。"
    four = Problem(
        Code.BAD_VALUE, params={"labels": ("できている", "少し", "あまり", "できていない"), "value": "○"}
    )
    assert message(four) == (
        "「できている」「少し」「あまり」「できていない」のいずれかを入力してください（入力値：「○」）。"
    )


def test_problem_as_text() -> None:
    formula = "数式は使えません。値を入力してください。"
    assert describe(Problem(Code.FORMULA)) == formula
    assert describe(Problem(Code.FORMULA, "入力")) == f"シート「入力」：{formula}"
    assert describe(Problem(Code.FORMULA, "入力", "F12")) == f"シート「入力」のセル F12：{formula}"
    error = FillInError([Problem(Code.NO_ANSWERS), Problem(Code.FORMULA, "入力", "A1")])
    assert "\n".join(describe_all(error)) == (
        f"回答が1つも入力されていません。\nシート「入力」のセル A1：{formula}"
    )
    assert describe_all(error.problems) == describe_all(error)
