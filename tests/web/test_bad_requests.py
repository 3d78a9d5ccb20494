"""Requests that used to answer 500 or an English page (issue 15, items 5 and 6): a join code made only
of signs, an autosave body nested thousands deep, a body or field too large to read. Each is a Japanese
form error, a Japanese 400 page, or, from an endpoint a page's script calls, a JSON error."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from bansou.accounts.models import User
from bansou.checks.models import Draft, DraftCell

pytestmark = pytest.mark.django_db
UNREADABLE = "送信された内容を読み取れませんでした。"


@pytest.mark.parametrize("url_name", ["teams:join_by_code", "cohorts:join_by_code"])
@pytest.mark.parametrize("typed", ["----", "../", "！？", " ", "\u200b"])
def test_a_code_of_signs_only_is_a_form_error(owner_client: Client, url_name: str, typed: str) -> None:
    response = owner_client.post(reverse(url_name), {"code": typed})

    assert response.status_code == 200
    html = response.content.decode()
    assert "招待コード" in html and (
        "招待コードが正しくありません。" in html or "このフィールドは必須です。" in html
    )


def autosave(client: Client, draft: Draft, body: bytes, **extra: str) -> tuple[int, dict[str, object]]:
    url = reverse("checks:autosave", args=[draft.public_id])
    response = client.post(url, data=body, content_type="application/json", **extra)  # type: ignore[arg-type]
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


@pytest.mark.parametrize("opening", ["[", '{"edits":'])
def test_autosave_nested_thousands_deep_is_a_json_400(
    owner_client: Client, owner_draft: Draft, opening: str
) -> None:
    closing = "]" if opening == "[" else "}"
    body = (opening * 3000 + closing * 3000).encode()

    status, answer = autosave(owner_client, owner_draft, body)

    assert status == 400
    assert answer["error"] == "bad_request"  # the script drops the edits: sending again cannot help
    assert UNREADABLE in str(answer["message"])
    assert not DraftCell.objects.filter(draft=owner_draft).exclude(revision=0).exists()


@pytest.mark.parametrize("content_type", ["multipart/form-data; boundary=x", "text/plain"])
def test_autosave_of_another_content_type_is_a_json_400(
    owner: User, owner_draft: Draft, content_type: str
) -> None:
    """A multipart body, read by the CSRF check, could not be read again as JSON: a 500."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    client.get(reverse("home"))  # sets the CSRF cookie
    url = reverse("checks:autosave", args=[owner_draft.public_id])
    body = b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'

    response = client.generic(
        "POST", url, body, content_type=content_type, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value
    )

    assert (response.status_code, response.json()["error"]) == (400, "bad_request")


@pytest.mark.parametrize("item", ["2-1\x00", "2-1\n", "2" * 51])
def test_autosave_of_an_item_code_no_item_has_is_a_json_400(
    owner_client: Client, owner_draft: Draft, item: str
) -> None:
    """A NUL in the item code reached PostgreSQL, which refused it: a 500."""
    edit = {"item": item, "axis": "practice", "value": 1, "base_revision": 0}

    status, answer = autosave(owner_client, owner_draft, json.dumps({"edits": [edit]}).encode())

    assert (status, answer["error"]) == (400, "bad_request")


def test_autosave_too_large_to_read_is_a_json_400(
    owner_client: Client, owner_draft: Draft, settings: Settings
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    status, answer = autosave(owner_client, owner_draft, b'{"edits": "' + b"x" * 2000 + b'"}')

    assert (status, answer["error"]) == (400, "bad_request")
    assert UNREADABLE in str(answer["message"])


def test_autosave_with_a_refused_csrf_token_is_json(owner: User, owner_draft: Draft) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    status, answer = autosave(client, owner_draft, b'{"edits": []}', HTTP_X_CSRFTOKEN="x" * 32)

    assert (status, answer["error"]) == (403, "csrf")
    assert "再読み込み" in str(answer["message"])


def test_a_form_field_too_large_is_the_japanese_400_page(owner_client: Client, settings: Settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = owner_client.post(reverse("teams:join_by_code"), {"code": "A" * 2000})

    assert response.status_code == 400
    html = response.content.decode()
    assert "送信された内容を受け付けられませんでした" in html and "Bad Request" not in html
    assert "伴走支援エレメント セルフチェック" in html  # the site's own page, with its header


def test_too_many_fields_is_the_japanese_400_page(settings: Settings) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client = Client(enforce_csrf_checks=True)  # the CSRF check reads the body first, for anyone
    client.get(reverse("accounts:login"))  # sets the CSRF cookie

    response = client.post(reverse("accounts:login"), {f"f{i}": "x" for i in range(20)})

    assert response.status_code == 400
    assert "送信された内容を受け付けられませんでした" in response.content.decode()


def test_form_fields_said_to_be_in_another_encoding_are_the_japanese_400_page() -> None:
    """Django's own 400 view read the body again, failed again, and answered 500."""
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("accounts:login"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value

    response = client.post(
        reverse("accounts:login"),
        "username=a",
        content_type="application/x-www-form-urlencoded; charset=utf-16",
        HTTP_X_CSRFTOKEN=token,
    )

    assert response.status_code == 400
    assert "送信された内容を受け付けられませんでした" in response.content.decode()
