"""Every export goes through the one renderer, and every download through the one response helper.

Tables (the team map, a 研修's totals, a check's answers, my data) become xlsx and CSV bytes in
``bansou.reports.render`` only; the fill-in workbooks (the blank sheet, a draft to go on with, a
研修's paper entry) in ``bansou.reports.fillin``'s writer only: they are a format of their own (a
protected form with drop-downs and hidden keys that ``fillin.reader`` checks when the file comes
back), not a table, and the writer sits beside its reader, Django-free. Whatever the bytes, the
response that hands them out is made by ``bansou.reports.responses.download`` (PDFs too, through
``reports.pdf``): the file name, ``Content-Disposition`` and ``Cache-Control`` are written there once.

Shown twice: statically, over the source of ``bansou/`` (no other module imports a writer of xlsx or
CSV, and none writes a download's headers itself), and by asking for every download route the
urlconfs have (routes ending in .xlsx, .csv, .json or .pdf) with the renderers and the response
helper spied on.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.generic import RedirectView

from bansou.domain.feedback import RaterGroup
from bansou.feedback import services as feedback_services
from bansou.places.models import Municipality
from bansou.reports import fillin, pdf, render, responses
from tests.cohorts.conftest import build_world as cohort_world
from tests.feedback.requests_made import answer_by as feedback_answer_by
from tests.feedback.requests_made import new_request as new_feedback_request
from tests.feedback.requests_made import signed_in as feedback_signed_in
from tests.feedback.requests_made import supporter as feedback_supporter
from tests.hostile_world import placement_of
from tests.teams.conftest import build_world as team_world

REPO = Path(__file__).resolve().parents[2]
CODE = REPO / "bansou"
RENDERER = "bansou/reports/render.py"
RESPONSES = "bansou/reports/responses.py"
FILL_IN = "bansou/reports/fillin/"  # the fill-in workbook format: see the module's docstring

# Reading a workbook or a CSV file is anyone's business (the 市町村 list is read from both).
OPENPYXL_READERS = {"load_workbook"}
CSV_WRITERS = {"writer", "DictWriter"}
OTHER_WRITERS = {"xlsxwriter", "xlwt", "pandas", "tablib"}  # not used; nor to be
DOWNLOAD_SUFFIXES = (".xlsx", ".csv", ".json", ".pdf")


# Statically: the source of bansou/ ----------------------------------------------------------------


def modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(CODE.rglob("*.py")):
        if "migrations" not in path.relative_to(CODE).parts:
            name = path.relative_to(REPO).as_posix()
            yield name, ast.parse(path.read_text(encoding="utf-8"), filename=name)


def writer_imports(tree: ast.Module) -> list[str]:
    """What the module imports, or uses, that writes xlsx or CSV (with the line)."""
    found: list[tuple[int, str]] = []
    csv_names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top == "openpyxl" or top in OTHER_WRITERS:  # the whole library: its writer too
                    found.append((node.lineno, f"import {alias.name}"))
                elif alias.name == "csv":
                    csv_names.add(alias.asname or "csv")
        elif isinstance(node, ast.ImportFrom) and node.module:
            top = node.module.split(".")[0]
            names = sorted(alias.name for alias in node.names)
            if top in OTHER_WRITERS or (top == "openpyxl" and node.module != "openpyxl"):
                found.append((node.lineno, f"from {node.module} import {', '.join(names)}"))
            elif top == "openpyxl" and set(names) - OPENPYXL_READERS:
                found.append(
                    (node.lineno, f"from openpyxl import {', '.join(sorted(set(names) - OPENPYXL_READERS))}")
                )
            elif node.module == "csv" and set(names) & CSV_WRITERS:
                found.append((node.lineno, f"from csv import {', '.join(sorted(set(names) & CSV_WRITERS))}"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in csv_names
            and node.attr in CSV_WRITERS
        ):
            found.append((node.lineno, f"{node.value.id}.{node.attr}"))
    return [f"line {line}: {what}" for line, what in sorted(found)]


def _content_type(call: ast.Call) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "content_type":
            return keyword.value
    return call.args[1] if len(call.args) > 1 else None


def _called(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def hand_made_downloads(tree: ast.Module) -> list[str]:
    """Where the module writes a download's headers, or builds a file response, itself (with the line)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.lower()
            if "content-disposition" in text or "attachment;" in text:
                found.append((node.lineno, repr(node.value)))
        elif isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name in ("FileResponse", "StreamingHttpResponse"):
                found.append((node.lineno, name))
        if isinstance(node, ast.Call) and _called(node) == "HttpResponse":
            kind = _content_type(node)
            plain_text = (
                isinstance(kind, ast.Constant)
                and isinstance(kind.value, str)
                and kind.value.startswith(("text/plain", "text/html"))
            )
            if kind is not None and not plain_text:
                found.append((node.lineno, f"HttpResponse(..., content_type={ast.unparse(kind)})"))
    return [f"line {line}: {what}" for line, what in sorted(found)]


def test_only_the_renderer_and_the_fill_in_writer_write_xlsx_or_csv() -> None:
    found = {
        name: imports
        for name, tree in modules()
        if name != RENDERER and not name.startswith(FILL_IN)
        for imports in [writer_imports(tree)]
        if imports
    }
    assert not found, f"render tables with bansou.reports.render: {found}"
    renderer = dict(modules())[RENDERER]
    assert writer_imports(renderer)  # the check sees the renderer's own imports


def test_only_the_response_helper_writes_a_downloads_headers() -> None:
    found = {
        name: hand_made
        for name, tree in modules()
        if name != RESPONSES
        for hand_made in [hand_made_downloads(tree)]
        if hand_made
    }
    assert not found, f"answer downloads with bansou.reports.responses.download: {found}"
    assert hand_made_downloads(dict(modules())[RESPONSES])


def test_the_static_checks_catch_what_they_are_for() -> None:
    writing = ast.parse(
        "import csv\nimport openpyxl\nfrom openpyxl import Workbook, load_workbook\n"
        "from openpyxl.cell import WriteOnlyCell\nfrom csv import DictWriter\nimport xlsxwriter\n"
        "csv.writer(out)\n"
    )
    assert writer_imports(writing) == [
        "line 2: import openpyxl",
        "line 3: from openpyxl import Workbook",
        "line 4: from openpyxl.cell import WriteOnlyCell",
        "line 5: from csv import DictWriter",
        "line 6: import xlsxwriter",
        "line 7: csv.writer",
    ]
    reading = ast.parse("import csv\nfrom openpyxl import load_workbook\ncsv.DictReader(f)\n")
    assert writer_imports(reading) == []
    by_hand = ast.parse(
        "r = HttpResponse(body, content_type=XLSX)\n"
        "r['Content-Disposition'] = f'attachment; filename=\"{name}\"'\n"
        "FileResponse(f)\n"
        "HttpResponse(body, 'text/csv')\n"
        "HttpResponse('Pango がありません', content_type='text/plain; charset=utf-8', status=503)\n"
    )
    assert hand_made_downloads(by_hand) == [
        "line 1: HttpResponse(..., content_type=XLSX)",
        "line 2: 'Content-Disposition'",
        "line 2: 'attachment; filename=\"'",
        "line 3: FileResponse",
        "line 4: HttpResponse(..., content_type='text/csv')",
    ]


# Dynamically: every download route ----------------------------------------------------------------


def download_routes() -> set[str]:
    """The names of the routes whose path ends like a file (``teams:map_xlsx`` ...), from the urlconfs."""
    found: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace,
                )
            elif getattr(pattern.callback, "view_class", None) is RedirectView:
                continue  # an old address of a download that moved: it answers nothing itself
            elif isinstance(pattern, URLPattern) and str(pattern.pattern).endswith(DOWNLOAD_SUFFIXES):
                assert pattern.name, f"{pattern.pattern}: name the route"
                found.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return found


@dataclass
class Spy:
    """What the renderers made (by name, with the bytes) and the responses ``download`` answered."""

    made: list[tuple[str, bytes]] = field(default_factory=list)
    downloads: list[HttpResponse] = field(default_factory=list)

    def wrap(self, name: str, function: Callable[..., bytes]) -> Callable[..., bytes]:
        def spied(*args: Any, **kwargs: Any) -> bytes:
            body = function(*args, **kwargs)
            self.made.append((name, body))
            return body

        return spied


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    spy = Spy()
    for module, name in (
        (render, "xlsx"),
        (render, "csv_bytes"),
        (fillin, "blank_personal"),
        (fillin, "blank_cohort"),
    ):
        monkeypatch.setattr(
            module, name, spy.wrap(f"{module.__name__.split('.')[-1]}.{name}", getattr(module, name))
        )

    def fake_pdf(request: object, template: str, context: object, *, stamped: bool = True) -> bytes:
        return f"%PDF- {template}".encode()  # WeasyPrint itself: tests/reports/test_pdf.py

    monkeypatch.setattr(pdf, "pdf_bytes", spy.wrap("pdf.pdf_bytes", fake_pdf))
    monkeypatch.setattr(pdf, "_shared", {})  # the blank sheet's PDF is made once per process
    download = responses.download

    def spied_download(body: bytes, content_type: str, filename: str) -> HttpResponse:
        response = download(body, content_type, filename)
        spy.downloads.append(response)
        return response

    monkeypatch.setattr(responses, "download", spied_download)
    return spy


Setup = Callable[[pytest.FixtureRequest], tuple[Client, str]]


def team(route: str, persona: str) -> Setup:
    def setup(request: pytest.FixtureRequest) -> tuple[Client, str]:
        request.getfixturevalue("municipalities")
        world = team_world(request.getfixturevalue("framework"), request.getfixturevalue("submitted"))
        return world.client(persona), reverse(route, args=[world.team.public_id])

    return setup


def placement(route: str) -> Setup:
    """A 配置計画 of the teams' world's organisation, opened by its staff."""

    def setup(request: pytest.FixtureRequest) -> tuple[Client, str]:
        request.getfixturevalue("municipalities")
        world = team_world(request.getfixturevalue("framework"), request.getfixturevalue("submitted"))
        staff = world.people["staff"]
        plan = placement_of(world.org, staff, Municipality.objects.get(lgcode="131016"))
        return world.client("staff"), reverse(route, args=[world.org.public_id, plan.public_id])

    return setup


def cohort(route: str) -> Setup:
    def setup(request: pytest.FixtureRequest) -> tuple[Client, str]:
        request.getfixturevalue("framework")
        world = cohort_world(request.getfixturevalue("submitted"))
        return world.client("organiser"), reverse(route, args=[world.cohort.public_id])

    return setup


def own_check(route: str) -> Setup:
    def setup(request: pytest.FixtureRequest) -> tuple[Client, str]:
        check = request.getfixturevalue("submitted")(request.getfixturevalue("owner"))
        return request.getfixturevalue("owner_client"), reverse(route, args=[check.public_id])

    return setup


def own_draft(route: str) -> Setup:
    def setup(request: pytest.FixtureRequest) -> tuple[Client, str]:
        draft = request.getfixturevalue("owner_draft")
        return request.getfixturevalue("owner_client"), reverse(route, args=[draft.public_id])

    return setup


def signed_in(route: str) -> Setup:
    def setup(request: pytest.FixtureRequest) -> tuple[Client, str]:
        request.getfixturevalue("submitted")(request.getfixturevalue("owner"))
        return request.getfixturevalue("owner_client"), reverse(route)

    return setup


def anyone(route: str) -> Setup:
    def setup(request: pytest.FixtureRequest) -> tuple[Client, str]:
        request.getfixturevalue("version")
        return Client(), reverse(route)

    return setup


def feedback(route: str, *, closed: bool) -> Setup:
    """The supporter's own feedback request: open (its answer sheet), or closed over three answers with
    a comment (its comparison's downloads)."""

    def setup(request: pytest.FixtureRequest) -> tuple[Client, str]:
        version = request.getfixturevalue("version")
        owner = feedback_supporter(version)
        asked, links = new_feedback_request(owner, version, {RaterGroup.MUNICIPAL: 3})
        if closed:
            for link in links:
                feedback_answer_by(link, comment="よく聞いてくださる")
            feedback_services.close(asked, early=True)
        return feedback_signed_in(owner), reverse(route, args=[asked.public_id])

    return setup


# Route: (the renderer that must make its bytes, how to reach it). None: no renderer (JSON).
DOWNLOADS: dict[str, tuple[str | None, Setup]] = {
    "teams:map_xlsx": ("render.xlsx", team("teams:map_xlsx", "member")),
    "teams:map_csv": ("render.csv_bytes", team("teams:map_csv", "member")),
    "teams:detail_pdf": ("pdf.pdf_bytes", team("teams:detail_pdf", "member")),
    "teams:dialogue_pdf": ("pdf.pdf_bytes", team("teams:dialogue_pdf", "lead")),
    "cohorts:results_xlsx": ("render.xlsx", cohort("cohorts:results_xlsx")),
    "cohorts:results_csv": ("render.csv_bytes", cohort("cohorts:results_csv")),
    "cohorts:results_pdf": ("pdf.pdf_bytes", cohort("cohorts:results_pdf")),
    "cohorts:paper_xlsx": ("fillin.blank_cohort", cohort("cohorts:paper_xlsx")),
    "checks:answers_xlsx": ("render.xlsx", own_check("checks:answers_xlsx")),
    "checks:answers_csv": ("render.csv_bytes", own_check("checks:answers_csv")),
    "checks:result_pdf": ("pdf.pdf_bytes", own_check("checks:result_pdf")),
    "checks:draft_xlsx": ("fillin.blank_personal", own_draft("checks:draft_xlsx")),
    "checks:blank_xlsx": ("fillin.blank_personal", anyone("checks:blank_xlsx")),
    "checks:blank_sheet_pdf": ("pdf.pdf_bytes", anyone("checks:blank_sheet_pdf")),
    "accounts:my_xlsx": ("render.xlsx", signed_in("accounts:my_xlsx")),
    "accounts:my_json": (None, signed_in("accounts:my_json")),
    "feedback:sheet": ("pdf.pdf_bytes", feedback("feedback:sheet", closed=False)),
    "feedback:comparison_xlsx": ("render.xlsx", feedback("feedback:comparison_xlsx", closed=True)),
    "feedback:comparison_csv": ("render.csv_bytes", feedback("feedback:comparison_csv", closed=True)),
    "feedback:comments_csv": ("render.csv_bytes", feedback("feedback:comments_csv", closed=True)),
    "placements:gaps_xlsx": ("render.xlsx", placement("placements:gaps_xlsx")),
    "placements:gaps_csv": ("render.csv_bytes", placement("placements:gaps_csv")),
    "placements:plan_xlsx": ("render.xlsx", placement("placements:plan_xlsx")),
    "placements:plan_csv": ("render.csv_bytes", placement("placements:plan_csv")),
}
CSV_ROUTES = [route for route, (renderer, _setup) in DOWNLOADS.items() if renderer == "render.csv_bytes"]


def test_every_download_route_is_asked_for_below() -> None:
    assert download_routes() == set(DOWNLOADS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "query"),
    [(route, "") for route in DOWNLOADS] + [(route, "?encoding=cp932") for route in CSV_ROUTES],
)
def test_every_download_is_made_by_its_renderer_and_answered_by_the_helper(
    route: str, query: str, spy: Spy, request: pytest.FixtureRequest
) -> None:
    renderer, setup = DOWNLOADS[route]
    client, url = setup(request)
    spy.made.clear()  # making the world may render nothing, but say so
    response = client.get(url + query)
    assert response.status_code == 200, route
    assert spy.downloads == [response], f"{route}: answer it with responses.download"
    assert response["Content-Disposition"].startswith('attachment; filename="bansou-')
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    if renderer is None:
        assert spy.made == []
        json.loads(response.content)
    else:
        assert [name for name, _body in spy.made] == [renderer], route
        assert spy.made[0][1] == response.content, f"{route}: the response holds what {renderer} made"
    if query:
        assert response["Content-Type"] == render.CSV_CP932
