"""Taking back a filled-in xlsx sheet through the views: it becomes a draft to review, all or nothing;
nothing is overwritten, and a refused file names its cells."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bansou.accounts.models import User
from bansou.checks.access import Holder
from bansou.checks.models import Check, Draft, DraftCell
from bansou.checks.services import get_or_start_draft, save_cells
from bansou.domain.drafts import Edit
from bansou.domain.framework import Axis, Framework
from bansou.frameworks.models import FrameworkVersion
from tests.reports.filling import fill_personal

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def loaded(version: FrameworkVersion) -> None:
    """The framework is loaded, as `make run` loads it."""


def blank(client: Client) -> bytes:
    response = client.get(reverse("checks:blank_xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return response.content


def upload(client: Client, body: bytes, name: str = "sheet.xlsx") -> object:
    return client.post(reverse("checks:import"), {"file": SimpleUploadedFile(name, body, content_type=XLSX)})


def cells_of(draft: Draft) -> dict[tuple[str, str], int | None]:
    return {(c.item_code, c.axis): c.value for c in DraftCell.objects.filter(draft=draft)}


def test_a_filled_sheet_becomes_the_draft_with_exactly_its_answers(
    owner: User, owner_client: Client, framework: Framework
) -> None:
    codes = framework.item_codes()
    written = {codes[0]: ("はい", "いいえ"), codes[1]: ("いいえ", None), codes[-1]: (1, 0)}
    response = upload(owner_client, fill_personal(blank(owner_client), framework, written))
    assert response.status_code == 302
    draft = Draft.objects.get(owner=owner)
    assert response["Location"] == reverse("checks:sheet", args=[draft.public_id])
    expected = {(c, a.value): None for c in codes for a in Axis}
    expected |= {
        (codes[0], "understanding"): 1,
        (codes[0], "practice"): 0,
        (codes[1], "understanding"): 0,
        (codes[-1], "understanding"): 1,
        (codes[-1], "practice"): 0,
    }
    assert cells_of(draft) == expected
    page = owner_client.get(response["Location"]).content.decode()
    assert "5 件の回答を取り込みました" in page


def test_a_visitor_can_import_too(framework: Framework, version: FrameworkVersion) -> None:
    client = Client()
    body = fill_personal(blank(client), framework, {framework.item_codes()[0]: ("はい", "はい")})
    response = upload(client, body)
    assert response.status_code == 302
    draft = Draft.objects.get(owner=None)
    assert response["Location"] == reverse("checks:sheet", args=[draft.public_id])


def test_answers_already_in_the_draft_are_never_overwritten(
    owner: User, owner_client: Client, framework: Framework, version: FrameworkVersion
) -> None:
    first, second = framework.item_codes()[:2]
    draft = get_or_start_draft(holder=Holder(user_id=owner.pk), version=version)
    save_cells(draft=draft, edits=[Edit(first, Axis.UNDERSTANDING, 1, 0)])
    before = cells_of(draft)
    body = fill_personal(blank(owner_client), framework, {first: ("いいえ", None), second: ("はい", "はい")})
    response = upload(owner_client, body)
    assert response.status_code == 409
    assert "上書きしないため、取り込みませんでした" in response.content.decode()
    assert cells_of(draft) == before  # the second item was not written either
    same = fill_personal(blank(owner_client), framework, {first: ("はい", None), second: ("はい", "はい")})
    assert upload(owner_client, same).status_code == 302  # the same answer is no conflict
    assert cells_of(draft)[(second, "practice")] == 1


def test_a_refused_file_names_the_cell_and_writes_nothing(owner_client: Client, framework: Framework) -> None:
    body = fill_personal(blank(owner_client), framework, {framework.item_codes()[0]: ("たぶん", "はい")})
    response = upload(owner_client, body)
    assert response.status_code == 400
    html = response.content.decode()
    assert "何も保存していません" in html and "E2" in html and "たぶん" in html
    assert not DraftCell.objects.filter(value__isnull=False).exists()


@pytest.mark.parametrize(
    ("body", "name"),
    [(b"", "empty.xlsx"), (b"a,b\r\n1,2\r\n", "answers.csv"), (b"\xd0\xcf\x11\xe0" + b"\0" * 600, "old.xls")],
)
def test_what_is_not_an_xlsx_is_refused_with_a_message(owner_client: Client, body: bytes, name: str) -> None:
    response = upload(owner_client, body, name)
    assert response.status_code == 400
    assert "何も保存していません" in response.content.decode()
    assert not Draft.objects.exists()


def test_a_file_over_the_limit_is_refused_before_it_is_read(owner_client: Client) -> None:
    big = io.BytesIO(b"PK\x03\x04" + b"\0" * (3 * 1024 * 1024))
    response = upload(owner_client, big.getvalue())
    assert response.status_code == 413
    assert "ファイルが大きすぎます" in response.content.decode()
    assert not Draft.objects.exists()


def test_a_file_over_the_limit_is_stopped_while_it_arrives(owner_client: Client, settings: object) -> None:
    """Even when the request does not declare so much (the handler counts what arrives)."""
    from bansou.reports import uploads

    request_limit = uploads.FORM_OVERHEAD
    try:
        uploads.FORM_OVERHEAD = 10 * 1024 * 1024  # as if the declared length were small enough
        response = upload(owner_client, b"PK\x03\x04" + b"\0" * (3 * 1024 * 1024))
    finally:
        uploads.FORM_OVERHEAD = request_limit
    assert response.status_code == 413
    assert not Draft.objects.exists()


def test_the_upload_still_needs_the_csrf_token(owner: User, framework: Framework) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    body = fill_personal(blank(client), framework, {framework.item_codes()[0]: ("はい", "はい")})
    assert upload(client, body).status_code == 403
    assert not Draft.objects.exists()


def test_no_file_is_a_message_not_an_error(owner_client: Client) -> None:
    response = owner_client.post(reverse("checks:import"), {})
    assert response.status_code == 400
    assert "ファイルを選んでください" in response.content.decode()


HOSTILE = sorted(
    p for p in (Path(__file__).parent / "hostile").iterdir() if p.suffix != ".py" and p.is_file()
)


@pytest.mark.parametrize("path", HOSTILE, ids=[p.name for p in HOSTILE])
def test_every_hostile_file_is_refused_by_the_view_and_writes_nothing(
    owner_client: Client, path: Path
) -> None:
    response = upload(owner_client, path.read_bytes(), path.name)
    assert response.status_code == 400
    assert "何も保存していません" in response.content.decode()
    assert not DraftCell.objects.filter(value__isnull=False).exists()
    assert not Check.objects.exists()


def test_a_draft_goes_to_excel_and_comes_back_with_more_answers(
    owner: User, owner_client: Client, framework: Framework, version: FrameworkVersion
) -> None:
    first, second = framework.item_codes()[:2]
    draft = get_or_start_draft(holder=Holder(user_id=owner.pk), version=version)
    save_cells(draft=draft, edits=[Edit(first, Axis.UNDERSTANDING, 1, 0), Edit(first, Axis.PRACTICE, 0, 0)])
    response = owner_client.get(reverse("checks:draft_xlsx", args=[draft.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["チェックシート"]
    assert (sheet["E2"].value, sheet["F2"].value) == ("はい", "いいえ")  # the draft's answers written in
    more = fill_personal(response.content, framework, {second: ("はい", "はい")})
    assert upload(owner_client, more).status_code == 302
    cells = cells_of(draft)
    assert (cells[(first, "understanding")], cells[(first, "practice")]) == (1, 0)
    assert (cells[(second, "understanding")], cells[(second, "practice")]) == (1, 1)


def test_someone_elses_draft_is_not_found(owner: User, outsider: User, version: FrameworkVersion) -> None:
    draft = get_or_start_draft(holder=Holder(user_id=owner.pk), version=version)
    other = Client()
    other.force_login(outsider)
    assert other.get(reverse("checks:draft_xlsx", args=[draft.public_id])).status_code == 404
    assert Client().get(reverse("checks:draft_xlsx", args=[draft.public_id])).status_code in (302, 404)


def test_with_the_csrf_token_a_good_file_is_taken_and_a_large_one_refused(
    owner: User, framework: Framework
) -> None:
    """The view is exempt only to measure the upload first: the token is still checked (see above)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    token = str(client.get(reverse("checks:blank_sheet")).context["csrf_token"])
    body = fill_personal(blank(client), framework, {framework.item_codes()[0]: ("はい", "はい")})
    file = SimpleUploadedFile("sheet.xlsx", body, content_type=XLSX)
    response = client.post(reverse("checks:import"), {"file": file, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    big = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"\0" * (3 * 1024 * 1024), content_type=XLSX)
    assert (
        client.post(reverse("checks:import"), {"file": big, "csrfmiddlewaretoken": token}).status_code == 413
    )
