"""The walls between the apps hold: an arrow that points the wrong way fails `make lint`.

The import-linter contracts in ``pyproject.toml`` are run over a temporary copy of the code: as it
is (every contract kept), and with one import added that each contract forbids (that contract
broken). The wrong import is made from the contract itself (for layers: the lowest layer imports
the highest), so the test follows the contracts as they change. ``scripts/app-graph`` is run on a
copy with a new cycle between apps, and must report it.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
APP_GRAPH = REPO / "scripts" / "app-graph"
CONFIG = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
CONTRACTS: list[dict[str, Any]] = CONFIG.get("contracts", [])


def copy_of_the_code(tmp_path: Path) -> Path:
    for folder in ("bansou", "config"):
        shutil.copytree(REPO / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Runs the contracts over the copy in ``root``: ``bansou`` is the copy's, not the repository's."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def module_file(root: Path, module: str) -> Path | None:
    base = root.joinpath(*module.split("."))
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def layer_modules(layer: str, containers: list[str]) -> list[str]:
    """The module names of one layer ("a | b", "a : b", "(optional)"), inside each container."""
    tails = [t.strip().strip("()").strip() for t in re.split(r"[|:]", layer)]
    return [f"{c}.{t}" if c else t for c in (containers or [""]) for t in tails if t]


def wrong_import(root: Path, contract: dict[str, Any]) -> tuple[Path, str]:
    """A file of the copy and a module it must not import under ``contract``."""
    kind = contract["type"]
    if kind == "layers":
        layers = [layer_modules(layer, contract.get("containers", [])) for layer in contract["layers"]]
        top = [m for layer in layers for m in layer if module_file(root, m)]
        low = [m for layer in reversed(layers) for m in layer if module_file(root, m)]
        source, target = low[0], top[0]
    elif kind == "forbidden":
        roots = tuple(CONFIG.get("root_packages", [CONFIG.get("root_package", "")]))
        forbidden = contract["forbidden_modules"]
        source = contract["source_modules"][0]
        target = next((m for m in forbidden if m.startswith(roots) and module_file(root, m)), forbidden[0])
    elif kind == "independence":
        source, target = contract["modules"][0], contract["modules"][1]
    else:
        pytest.fail(f"teach this test to break a contract of type {kind!r} ({contract['name']})")
    path = module_file(root, source)
    assert path is not None, f"{source} is not in the copy"
    return path, target


def test_there_are_contracts() -> None:
    assert CONTRACTS, "pyproject.toml names no import-linter contract"


def test_the_code_as_it_is_keeps_every_contract(tmp_path: Path) -> None:
    result = lint_imports(copy_of_the_code(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in result.stdout
    for contract in CONTRACTS:
        assert f"{contract['name']} KEPT" in result.stdout


@pytest.mark.parametrize("contract", CONTRACTS, ids=[c["name"] for c in CONTRACTS])
def test_one_wrong_import_breaks_the_contract(tmp_path: Path, contract: dict[str, Any]) -> None:
    root = copy_of_the_code(tmp_path)
    path, target = wrong_import(root, contract)
    with path.open("a", encoding="utf-8") as source:
        source.write(f"\nimport {target}  # noqa: E402, F401\n")

    result = lint_imports(root)

    assert result.returncode != 0, result.stdout + result.stderr
    assert f"{contract['name']} BROKEN" in result.stdout, result.stdout + result.stderr
    assert target in result.stdout  # the broken import is named


def app_graph(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(APP_GRAPH), str(root / "bansou")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def cycles_through(output: str, app: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("cycle:") and app in line.split()]


def test_app_graph_reports_a_new_cycle(tmp_path: Path) -> None:
    # The domain sits below everything, so it is in no cycle; teams, near the top, imports it.
    root = tmp_path
    shutil.copytree(REPO / "bansou", root / "bansou", ignore=shutil.ignore_patterns("__pycache__"))
    before = app_graph(root)
    assert not cycles_through(before.stdout, "domain"), before.stdout
    assert re.search(r"^teams\s+->.*\bdomain\b", before.stdout, re.MULTILINE), before.stdout

    with (root / "bansou" / "domain" / "__init__.py").open("a", encoding="utf-8") as source:
        source.write("\nimport bansou.teams  # noqa: E402, F401\n")
    after = app_graph(root)

    assert after.returncode == 1, after.stdout + after.stderr
    assert any("teams" in line.split() for line in cycles_through(after.stdout, "domain")), after.stdout


def test_app_graph_passes_a_graph_without_cycles_and_fails_one_with_a_cycle(tmp_path: Path) -> None:
    for app, imports in {"low": "", "high": "from bansou.low import x\n"}.items():
        (tmp_path / "bansou" / app).mkdir(parents=True)
        (tmp_path / "bansou" / app / "__init__.py").write_text(f"{imports}x = 1\n", encoding="utf-8")
    (tmp_path / "bansou" / "__init__.py").write_text("", encoding="utf-8")

    acyclic = app_graph(tmp_path)
    (tmp_path / "bansou" / "low" / "helpers.py").write_text("import bansou.high\n", encoding="utf-8")
    cyclic = app_graph(tmp_path)

    assert acyclic.returncode == 0, acyclic.stdout + acyclic.stderr
    assert "high         -> low" in acyclic.stdout
    assert "no cycle between apps" in acyclic.stdout
    assert cyclic.returncode == 1, cyclic.stdout + cyclic.stderr
    assert "cycle: high ↔ low" in cyclic.stdout


def test_no_two_apps_import_each_other_in_a_cycle() -> None:
    """The real tree: every arrow between apps points one way (ARCHITECTURE.md)."""
    result = subprocess.run(
        [sys.executable, str(APP_GRAPH), str(REPO / "bansou")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.rstrip().endswith("no cycle between apps")


def test_every_app_is_in_the_layers_contract() -> None:
    """A new app must be given its place in the layers, or nothing checks its imports."""
    layers = next(c for c in CONFIG["contracts"] if c["type"] == "layers")["layers"]
    placed = {name.strip() for layer in layers for name in re.split(r"[|:]", layer)}
    apps = {f"bansou.{p.parent.name}" for p in (REPO / "bansou").glob("*/__init__.py")}
    assert apps == placed


TOTALS_MAKERS = frozenset({"Totals", "ItemCount", "ElementCount", "element_count", "totals_of"})


def test_only_the_disclosure_service_makes_totals() -> None:
    """Issue 12: one service decides and records disclosure, and nothing else computes a shown total.
    No module outside the domain (the types) and bansou.disclosure builds totals."""
    makers = []
    for path in sorted((REPO / "bansou").rglob("*.py")):
        relative = path.relative_to(REPO / "bansou").parts
        if relative[0] in {"domain", "disclosure"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in TOTALS_MAKERS:
                    makers.append(f"{path.relative_to(REPO)}:{node.lineno} {name}")
    assert makers == []
