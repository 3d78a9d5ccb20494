"""Modules and functions stay small enough to read (issue 11).

No module in ``bansou/`` (migrations apart: they are generated, and read by Django, not by people)
is longer than 400 lines, and no function or method, nested ones included, longer than 50 lines
(from its ``def`` line to its last line, docstring included, decorators not). A longer one is a
reason to split it; where there is a reason to keep it whole, it goes in ``ALLOWED`` with that reason,
and the closing note of the change that adds it says why.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CODE = REPO / "bansou"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50

# "bansou/app/module.py" or "bansou/app/module.py::Class.function": why it may be longer.
ALLOWED: dict[str, str] = {}


def modules() -> list[Path]:
    return sorted(p for p in CODE.rglob("*.py") if "migrations" not in p.relative_to(CODE).parts)


def name_of(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, int]]:
    """Every function in ``tree`` by qualified name ("Class.method", "outer.inner"), with its length."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = f"{prefix}{node.name}"
            if not isinstance(node, ast.ClassDef):
                assert node.end_lineno is not None
                yield name, node.end_lineno - node.lineno + 1
            yield from functions(node, f"{name}.")
        else:
            yield from functions(node, prefix)


def too_long() -> tuple[dict[str, int], dict[str, int]]:
    long_modules, long_functions = {}, {}
    for path in modules():
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES:
            long_modules[name_of(path)] = lines
        for qualified, length in functions(ast.parse(text, filename=str(path))):
            if length > MAX_FUNCTION_LINES:
                long_functions[f"{name_of(path)}::{qualified}"] = length
    return long_modules, long_functions


def test_no_module_is_over_400_lines() -> None:
    long_modules, _ = too_long()
    refused = {name: lines for name, lines in long_modules.items() if name not in ALLOWED}
    assert not refused, f"split these modules (or allow one in ALLOWED, with the reason): {refused}"


def test_no_function_is_over_50_lines() -> None:
    _, long_functions = too_long()
    refused = {name: lines for name, lines in long_functions.items() if name not in ALLOWED}
    assert not refused, f"split these functions (or allow one in ALLOWED, with the reason): {refused}"


def test_every_allowance_is_still_needed_and_says_why() -> None:
    long_modules, long_functions = too_long()
    for name, reason in ALLOWED.items():
        assert reason.strip(), f"{name}: say why it may be long"
        assert name in long_modules or name in long_functions, f"{name} is short now: remove it from ALLOWED"


def test_the_measure_counts_nested_functions_and_methods() -> None:
    source = "\n".join(
        [
            "class A:",
            "    @property",
            "    def short(self):",
            "        return 1",
            "",
            "def outer():",
            "    def inner():",
            *["        x = 1"] * 3,
            "    return inner",
            "if True:",
            "    def guarded():",
            "        pass",
        ]
    )
    assert dict(functions(ast.parse(source))) == {
        "A.short": 2,
        "outer": 6,
        "outer.inner": 4,
        "guarded": 2,
    }


def test_every_module_but_the_migrations_is_measured() -> None:
    measured = set(modules())
    every = set(CODE.rglob("*.py"))
    migrations = {p for p in every if "migrations" in p.parts}
    assert migrations and not migrations & measured
    assert measured == every - migrations
