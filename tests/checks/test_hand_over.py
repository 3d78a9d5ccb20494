"""Trying it without an account: answers live with the visitor's session; signing up keeps them."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from bansou.accounts.models import User
from bansou.checks.models import Check, Draft, DraftCell
from bansou.domain.framework import Framework
from bansou.frameworks.models import FrameworkVersion
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def visitor_fills_everything(client: Client, framework: Framework, *, submit: bool) -> Draft:
    response = client.post(reverse("checks:start"))
    draft = Draft.objects.get(owner__isnull=True)
    assert response["Location"] == reverse("checks:sheet", args=[draft.public_id])
    edits = [
        {"item": code, "axis": axis, "value": 1, "base_revision": 0}
        for code in framework.item_codes()
        for axis in ("understanding", "practice")
    ]
    url = reverse("checks:autosave", args=[draft.public_id])
    assert client.post(url, json.dumps({"edits": edits}), content_type="application/json").status_code == 200
    if submit:
        client.post(reverse("checks:sheet", args=[draft.public_id]), {"action": "submit"})
    return draft


SIGNUP = {
    "username": "hanako",
    "display_name": "伴走 花子",
    "furigana": "ばんそう はなこ",
    "password1": "correct-horse-battery",
    "password2": "correct-horse-battery",
}


def test_a_visitor_sees_the_result_without_an_account(framework: Framework) -> None:
    client = Client()
    visitor_fills_everything(client, framework, submit=True)

    check = Check.objects.get()
    response = client.get(reverse("checks:result", args=[check.public_id]))

    assert check.owner is None
    assert response.status_code == 200
    assert "アカウントを作成して結果を残す" in response.content.decode()


def test_signing_up_from_the_result_keeps_the_visitors_check(framework: Framework) -> None:
    client = Client()
    visitor_fills_everything(client, framework, submit=True)

    response = client.post(reverse("accounts:signup"), {**SIGNUP, "keep": "1"})

    assert response.status_code == 302
    user = User.objects.get(username="hanako")
    check = Check.objects.get()
    assert check.owner == user
    assert check.anon_key is None
    assert client.get(reverse("checks:result", args=[check.public_id])).status_code == 200


def test_signing_up_from_the_result_keeps_the_visitors_unfinished_draft(framework: Framework) -> None:
    client = Client()
    draft = visitor_fills_everything(client, framework, submit=False)

    client.post(reverse("accounts:signup"), {**SIGNUP, "keep": "1"})

    draft.refresh_from_db()
    assert draft.owner == User.objects.get(username="hanako")
    assert client.get(reverse("checks:sheet", args=[draft.public_id])).status_code == 200


def test_signing_up_otherwise_asks_before_keeping_what_this_browser_answered(framework: Framework) -> None:
    client = Client()
    visitor_fills_everything(client, framework, submit=True)

    response = client.post(reverse("accounts:signup"), SIGNUP)

    assert response["Location"].startswith(reverse("accounts:visitor_work"))
    assert Check.objects.get().owner is None
    page = client.get(response["Location"]).content.decode()
    assert "提出済み 1 件、回答途中 0 件" in page
    client.post(reverse("accounts:visitor_work"), {"action": "keep"})
    assert Check.objects.get().owner == User.objects.get(username="hanako")


def test_logging_in_on_a_shared_browser_can_discard_someone_elses_answers(framework: Framework) -> None:
    make_user("hanako", "伴走 花子")
    client = Client()
    visitor_fills_everything(client, framework, submit=True)

    response = client.post(reverse("accounts:login"), {"username": "hanako", "password": "pass-word-1234"})
    discarded = client.post(reverse("accounts:visitor_work"), {"action": "discard", "next": "/checks/"})

    assert response["Location"].startswith(reverse("accounts:visitor_work"))
    assert discarded["Location"] == "/checks/"
    assert not Check.objects.exists()
    assert not Draft.objects.exists()


def test_logging_in_from_the_result_keeps_the_visitors_check(framework: Framework) -> None:
    user = make_user("hanako", "伴走 花子")
    client = Client()
    visitor_fills_everything(client, framework, submit=True)

    response = client.post(
        reverse("accounts:login"), {"username": "hanako", "password": "pass-word-1234", "keep": "1"}
    )

    assert response.status_code == 302
    assert not response["Location"].startswith(reverse("accounts:visitor_work"))
    assert Check.objects.get().owner == user


def test_logging_in_merges_the_visitors_draft_into_the_accounts_newer_answers_winning(
    framework: Framework, version: FrameworkVersion
) -> None:
    user = make_user("hanako", "伴走 花子")
    member = Client()
    member.force_login(user)
    member.post(reverse("checks:start"))
    own = Draft.objects.get(owner=user)
    url = reverse("checks:autosave", args=[own.public_id])
    body = {"edits": [{"item": "2-3", "axis": "practice", "value": 1, "base_revision": 0}]}
    member.post(url, json.dumps(body), content_type="application/json")  # older than the visitor's
    visitor = Client()
    visitor_draft = visitor_fills_everything(visitor, framework, submit=False)  # every cell 1
    clear = {"edits": [{"item": "2-3", "axis": "practice", "value": None, "base_revision": 1}]}
    visitor.post(
        reverse("checks:autosave", args=[visitor_draft.public_id]),
        json.dumps(clear),
        content_type="application/json",
    )
    body = {"edits": [{"item": "2-1", "axis": "practice", "value": 0, "base_revision": 0}]}
    member.post(url, json.dumps(body), content_type="application/json")  # newest of all

    visitor.post(reverse("accounts:login"), {"username": "hanako", "password": "pass-word-1234", "keep": "1"})

    assert Draft.objects.get().pk == own.pk
    values = dict(DraftCell.objects.filter(draft=own, axis="practice").values_list("item_code", "value"))
    assert values["2-1"] == 0  # the account's own later answer
    assert values["2-2"] == 1  # the visitor's answer, where the account had none
    assert values["2-3"] == 1  # a cell the visitor cleared does not wipe the account's answer


def test_signing_up_never_takes_another_visitors_records(framework: Framework) -> None:
    visitor_fills_everything(Client(), framework, submit=True)
    other = Client()
    other.post(reverse("checks:start"))  # a visitor of its own, with its own key and draft

    other.post(reverse("accounts:signup"), {**SIGNUP, "keep": "1"})

    user = User.objects.get(username="hanako")
    assert Check.objects.get().owner is None
    assert Draft.objects.filter(owner=user).count() == 1


def test_the_login_form_shows_what_would_be_kept_and_ticks_it_only_from_the_result(
    framework: Framework,
) -> None:
    client = Client()
    visitor_fills_everything(client, framework, submit=True)

    plain = client.get(reverse("accounts:login")).content.decode()
    from_result = client.get(reverse("accounts:login") + "?keep=1").content.decode()

    assert "（提出済み 1 件、回答途中 0 件）を、このアカウントに引き継ぐ" in plain
    assert '<input type="checkbox" name="keep" value="1">' in plain
    assert '<input type="checkbox" name="keep" value="1" checked>' in from_result


def test_home_reminds_a_signed_in_person_of_an_undecided_hand_over(framework: Framework) -> None:
    make_user("hanako", "伴走 花子")
    client = Client()
    visitor_fills_everything(client, framework, submit=True)
    client.post(reverse("accounts:login"), {"username": "hanako", "password": "pass-word-1234"})

    reminded = client.get(reverse("home")).content.decode()
    client.post(reverse("accounts:visitor_work"), {"action": "keep"})
    after = client.get(reverse("home")).content.decode()

    assert "引き継ぐか削除するかを選ぶ" in reminded
    assert "引き継ぐか削除するかを選ぶ" not in after


def test_an_unknown_answer_to_what_to_keep_is_the_japanese_400_page(framework: Framework) -> None:
    client = Client()
    visitor_fills_everything(client, framework, submit=True)
    client.post(reverse("accounts:signup"), SIGNUP)

    response = client.post(reverse("accounts:visitor_work"), {"action": "keep\x00"})

    assert response.status_code == 400
    assert "送信された内容を受け付けられませんでした" in response.content.decode()  # was an empty page
    assert Check.objects.get().owner is None


@pytest.mark.parametrize("next_url", ["teams", "2-1"])
def test_a_next_address_that_is_a_bare_word_leads_home(owner: User, next_url: str) -> None:
    """``redirect`` took a bare word for the name of a page, found none, and answered 500."""
    client = Client()
    client.force_login(owner)
    nothing_to_keep = client.post(reverse("accounts:visitor_work"), {"action": "keep", "next": next_url})
    client.logout()
    signed_up = client.post(reverse("accounts:signup"), {**SIGNUP, "next": next_url})

    assert (nothing_to_keep.status_code, nothing_to_keep["Location"]) == (302, reverse("home"))
    assert (signed_up.status_code, signed_up["Location"]) == (302, reverse("home"))
