"""Accounts: sign-up (open or by invitation), names as typed, login throttling, reset without mail."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from bansou.accounts.models import User
from bansou.invitations import services as invitations
from bansou.invitations.models import Kind, Redemption
from tests.conftest import make_user, sign_in_verified

pytestmark = pytest.mark.django_db

SIGNUP = {
    "username": "takahashi",
    "display_name": "髙橋　𠮷子",  # 髙 and 𠮷 (outside the BMP) and a full-width space, kept as typed
    "furigana": "ﾀｶﾊｼ　よしこ",
    "roles": ["core_promoter", "prefecture_staff"],
    "password1": "correct-horse-battery",
    "password2": "correct-horse-battery",
}


def test_signing_up_stores_the_name_exactly_as_typed_and_furigana_in_katakana(client: Client) -> None:
    response = client.post(reverse("accounts:signup"), SIGNUP)

    assert response.status_code == 302
    user = User.objects.get(username="takahashi")
    assert user.display_name == "髙橋　𠮷子"
    assert user.furigana == "タカハシ　ヨシコ"
    assert user.roles == ["core_promoter", "prefecture_staff"]
    assert identify_hasher(user.password).algorithm == "argon2"


def test_sign_up_never_makes_an_administrator(client: Client) -> None:
    client.post(reverse("accounts:signup"), {**SIGNUP, "is_staff": "on", "is_superuser": "on"})

    user = User.objects.get(username="takahashi")
    assert not user.is_staff and not user.is_superuser
    assert client.get("/admin/").status_code == 302  # to the admin login, not in


def test_the_first_administrator_is_made_at_the_console() -> None:
    call_command("createsuperuser", username="root", display_name="管理者", interactive=False)

    assert User.objects.get(username="root").is_superuser


def test_furigana_must_be_kana(client: Client) -> None:
    response = client.post(reverse("accounts:signup"), {**SIGNUP, "furigana": "Takahashi"})

    assert response.status_code == 400
    assert "フリガナはカタカナで入力してください。" in response.content.decode()


def test_the_signup_form_follows_the_design_system_pattern(client: Client) -> None:
    html = client.post(reverse("accounts:signup"), {**SIGNUP, "display_name": ""}).content.decode()

    label = html.index(
        '<label class="field-label" for="id_display_name">氏名 <span class="required">※必須</span>'
    )
    help_text = html.index('id="id_display_name_helptext"')
    field = html.index('id="id_display_name"', help_text)
    error = html.index('id="id_display_name_error"')
    assert label < help_text < field < error


@override_settings(SIGNUP_MODE="invite")
def test_invite_only_sign_up_needs_an_unused_code(client: Client, administrator: User) -> None:
    invitation = invitations.issue(
        kind=Kind.SIGNUP, by_id=administrator.pk, lifetime=None, max_uses=1, grants_signup=True
    )

    refused = client.post(reverse("accounts:signup"), {**SIGNUP, "invitation_code": "wrong"})
    accepted = client.post(reverse("accounts:signup"), {**SIGNUP, "invitation_code": invitation.code})
    reused = Client().post(
        reverse("accounts:signup"), {**SIGNUP, "username": "second", "invitation_code": invitation.code}
    )

    assert refused.status_code == 400
    assert accepted.status_code == 302
    assert reused.status_code == 400
    used = Redemption.objects.get(invitation=invitation.invitation)
    assert used.user == User.objects.get(username="takahashi")


def test_login_and_sign_up_name_the_username_alike(client: Client) -> None:
    for name in ("accounts:login", "accounts:signup"):
        html = client.get(reverse(name)).content.decode()
        assert 'for="id_username">ログインID' in html, name


def test_login_is_locked_after_five_failures(client: Client) -> None:
    make_user("hanako", "伴走 花子")
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "hanako", "password": "wrong"})

    response = client.post(reverse("accounts:login"), {"username": "hanako", "password": "pass-word-1234"})

    assert response.status_code == 429
    assert "ログインを一時的に制限しています" in response.content.decode()


def test_logout_takes_a_post_and_forgets_kept_answers(owner_client: Client) -> None:
    response = owner_client.post(reverse("accounts:logout"))

    assert response["Location"] == reverse("accounts:logged_out")
    page = owner_client.get(response["Location"]).content.decode()
    assert 'data-forget-kept-answers="all"' in page and "bansou/site.js" in page  # run in the browser test
    assert owner_client.get(reverse("accounts:profile")).status_code == 302


def test_profile_updates_name_roles_and_furigana(owner_client: Client, owner: User) -> None:
    response = owner_client.post(
        reverse("accounts:profile"),
        {"display_name": "伴走 華子", "furigana": "バンソウ ハナコ", "roles": ["advisor"]},
    )

    owner.refresh_from_db()
    assert response.status_code == 302
    assert (owner.display_name, owner.roles) == ("伴走 華子", ["advisor"])


def test_an_administrator_issues_a_reset_link_that_works_without_mail(
    administrator: User, owner: User
) -> None:
    admin = sign_in_verified(Client(), administrator)
    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "make_reset_link", "_selected_action": [owner.pk]},
        follow=True,
    )
    link = re.search(r"http://testserver(/accounts/reset/[^ <\"]+)", response.content.decode())
    assert link is not None

    person = Client()
    form = person.get(link.group(1), follow=True)
    done = person.post(
        form.redirect_chain[-1][0],
        {"new_password1": "brand-new-secret-9", "new_password2": "brand-new-secret-9"},
    )

    assert done.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("brand-new-secret-9")


@pytest.mark.parametrize(
    ("target", "expected"),
    [("//evil.example/phish", "/"), ("https://evil.example/", "/"), ("/checks/", "/checks/")],
)
def test_sign_up_redirects_only_within_the_site(client: Client, target: str, expected: str) -> None:
    response = client.post(f"{reverse('accounts:signup')}?next={target}", {**SIGNUP, "next": target})

    assert response["Location"] == expected


def test_only_a_superuser_can_issue_reset_links(administrator: User, owner: User) -> None:
    from django.contrib.auth.models import Permission

    viewer = make_user("viewer", "閲覧 担当", is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_user"), Permission.objects.get(codename="change_user")
    )
    staff = sign_in_verified(Client(), viewer)

    page = staff.get(reverse("admin:accounts_user_changelist")).content.decode()
    response = staff.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "make_reset_link", "_selected_action": [administrator.pk]},
        follow=True,
    )

    assert "make_reset_link" not in page
    assert "/accounts/reset/" not in response.content.decode()


def test_a_get_to_logout_changes_nothing(owner_client: Client) -> None:
    assert owner_client.get(reverse("accounts:logout")).status_code == 405
    assert owner_client.get(reverse("accounts:profile")).status_code == 200
