"""Problems as data (fillin.errors): a code, a place and parameters; a refusal keeps at most MAX_PROBLEMS
and counts the rest. And the whole package stays plain Python: no module of it loads Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bansou.reports import fillin
from bansou.reports.fillin import Code, FillInError, Problem
from bansou.reports.fillin_messages import message
from tests.reports.fillin_helpers import blank, refused_personal
from tests.reports.hostile import make_corpus as corpus


def test_problems_are_capped() -> None:
    cells = {f"{column}{row}": "たぶん" for row in range(2, 47) for column in "EF"}  # 90 bad values
    error = refused_personal(corpus.with_cells(blank(), cells))
    assert len(error.problems) == fillin.MAX_PROBLEMS + 1
    last = error.problems[-1]
    assert last == Problem(Code.LEFT_OUT, params={"count": 40, "kept": 50})
    assert (last.sheet, last.cell, message(last)) == (
        None,
        None,
        "ほかに 40 件の問題があります（最初の 50 件だけを表示しています）。",
    )


def test_a_refusal_without_problems_is_an_unreadable_file() -> None:
    assert FillInError([]).problems == (Problem(Code.UNREADABLE),)


def test_a_problem_is_frozen_with_its_parameters() -> None:
    params = {"value": "メモ"}
    problem = Problem(Code.OUTSIDE, "入力", "H2", params)
    params["value"] = "changed"
    assert problem.params == {"value": "メモ"}
    with pytest.raises(TypeError):
        problem.params["value"] = "x"  # type: ignore[index]
    assert problem == Problem(Code.OUTSIDE, "入力", "H2", {"value": "メモ"})
    assert hash(problem) == hash(Problem(Code.OUTSIDE, "入力", "H2", {"value": "other"}))


def test_the_error_text_is_for_logs_and_names_the_codes() -> None:
    error = FillInError([Problem(Code.NO_ANSWERS), Problem(Code.OUTSIDE, "入力", "H2", {"value": "メモ"})])
    assert str(error) == "no_answers\noutside 入力!H2 value='メモ'"


def test_the_module_does_not_need_django() -> None:
    """Importing the package loads each of its modules, and no Django module."""
    code = (
        "import sys, bansou.reports.fillin; assert not [m for m in sys.modules if m.startswith('django')]; "
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('bansou.reports.fillin.'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    package = Path(fillin.__file__).parent
    modules = sorted(path.stem for path in package.glob("*.py") if path.stem != "__init__")
    assert done.stdout.split() == [f"bansou.reports.fillin.{name}" for name in modules]
    assert modules == ["errors", "grid", "layout", "reader", "safezip", "writer"]
