"""Changing one's own password from the profile; wrong current passwords count as failed logins."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from bansou.accounts.models import User

pytestmark = pytest.mark.django_db

URL = "/accounts/password/"
NEW = "another-long-pass-2026"


def change(client: Client, old: str, new: str = NEW) -> object:
    return client.post(URL, {"old_password": old, "new_password1": new, "new_password2": new})


def test_the_profile_leads_to_a_japanese_form(owner_client: Client) -> None:
    assert reverse("accounts:password_change") == URL
    assert f'href="{URL}"' in owner_client.get(reverse("accounts:profile")).content.decode()

    html = owner_client.get(URL).content.decode()

    assert "<h1>パスワードを変更する</h1>" in html
    for label in ("いまのパスワード", "新しいパスワード", "新しいパスワード（確認用）"):
        assert f'>{label} <span class="required">※必須</span></label>' in html


def test_a_visitor_is_sent_to_log_in(client: Client) -> None:
    assert client.get(URL)["Location"].startswith(reverse("accounts:login"))


def test_changing_keeps_the_person_signed_in_and_the_new_password_works(
    owner_client: Client, owner: User
) -> None:
    response = change(owner_client, "pass-word-1234")

    assert response["Location"] == reverse("accounts:profile")  # type: ignore[index]
    assert "パスワードを変更しました。" in owner_client.get(reverse("accounts:profile")).content.decode()
    owner.refresh_from_db()
    assert owner.check_password(NEW)


def test_a_wrong_current_password_is_refused(owner_client: Client, owner: User) -> None:
    response = change(owner_client, "wrong-password")

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "いまのパスワードが正しくありません。" in response.content.decode()  # type: ignore[attr-defined]
    owner.refresh_from_db()
    assert owner.check_password("pass-word-1234")


def test_five_wrong_current_passwords_lock_the_change_and_the_login(
    owner_client: Client, owner: User
) -> None:
    for _ in range(5):
        change(owner_client, "wrong-password")

    locked = change(owner_client, "pass-word-1234")  # even the right one, now

    assert locked.status_code == 429  # type: ignore[attr-defined]
    assert "ログインを一時的に制限しています" in locked.content.decode()  # type: ignore[attr-defined]
    owner.refresh_from_db()
    assert owner.check_password("pass-word-1234")
    login = Client().post(reverse("accounts:login"), {"username": "owner", "password": "pass-word-1234"})
    assert login.status_code == 429


def test_wrong_passwords_to_delete_an_account_count_too(owner_client: Client, owner: User) -> None:
    for _ in range(5):
        owner_client.post(reverse("accounts:delete"), {"password": "wrong-password"})

    response = owner_client.post(reverse("accounts:delete"), {"password": "pass-word-1234"})

    assert response.status_code == 429
    assert User.objects.filter(pk=owner.pk).exists()
