"""The second factor (issue 15, item 10): adding an authenticator app, the login's code step,
recovery codes used once, removing it, who must have one (the setting) and the admin site (always)."""

from __future__ import annotations

import re
import time

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django import Settings

from bansou.accounts.models import User
from bansou.accounts.second_factor import devices
from bansou.orgs import services as orgs
from bansou.orgs.models import Membership
from tests.conftest import make_user, no_pause, sign_in_verified, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-1234"
ADD = "/accounts/second-factor/add/"
CODE = "/accounts/login/code/"


def with_app(user: User) -> tuple[TOTPDevice, list[str]]:
    device = devices.pending_app(user)
    return device, devices.confirm(device)


def password_step(client: Client, username: str, next_url: str = "") -> str:
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD, "next": next_url})
    assert response.status_code == 302
    return str(response["Location"])


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def test_adding_an_app_shows_its_key_and_asks_one_code(owner: User) -> None:
    client = Client()
    client.force_login(owner)

    page = client.get(ADD).content.decode()
    device = TOTPDevice.objects.get(user=owner, confirmed=False)
    assert "<svg" in page and 'role="img"' in page and "data:" not in page  # drawn here, inline
    assert " ".join(devices.key_groups(device)) in page
    assert client.get(ADD).content.decode().count(devices.key_groups(device)[0]) == 1  # the same key again
    assert TOTPDevice.objects.filter(user=owner).count() == 1

    wrong = client.post(ADD, {"code": "000000" if totp_code(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "確認コードが正しくありません" in wrong.content.decode()
    assert not devices.has_one(owner)
    no_pause(owner)  # django-otp's own pause after a wrong code (a second) is not waited for

    done = client.post(ADD, {"code": totp_code(device), "next": "/checks/"})
    assert (
        done.status_code == 302
        and done["Location"] == "/accounts/second-factor/recovery-codes/?next=%2Fchecks%2F"
    )
    assert devices.has_one(owner) and client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id

    shown = client.get(done["Location"]).content.decode()
    codes = re.findall(r"<li>(\d{4}-\d{4}-\d{4})</li>", shown)
    assert len(codes) == 10 and 'href="/checks/"' in shown
    assert not re.findall(r"\d{4}-\d{4}-\d{4}", client.get(done["Location"]).content.decode())  # once
    assert client.get(ADD)["Location"] == "/accounts/second-factor/"  # one app at a time


def test_the_login_asks_the_code_after_the_password(owner: User) -> None:
    device, _ = with_app(owner)
    client = Client()

    to_code = password_step(client, "owner", "/checks/")
    assert to_code == f"{CODE}?next=%2Fchecks%2F"
    assert not signed_in(client)  # not yet
    page = client.get(to_code)
    assert page.status_code == 200 and "確認コード" in page.content.decode()

    response = client.post(to_code, {"code": totp_code(device)})
    assert response.status_code == 302 and response["Location"] == "/checks/"
    assert signed_in(client) and client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/accounts/profile/").status_code == 200


def test_a_code_is_taken_with_spaces_or_in_full_width_digits_and_not_twice(owner: User) -> None:
    device, _ = with_app(owner)
    client = Client()
    password_step(client, "owner")
    code = totp_code(device, 30)  # the next one: within the tolerance of one step
    full_width = code[:3].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + " " + code[3:]

    assert client.post(CODE, {"code": full_width}).status_code == 302

    again = Client()
    password_step(again, "owner")
    assert again.post(CODE, {"code": code}).status_code == 400  # a used code is not taken again
    assert not signed_in(again)


def test_without_the_password_step_the_code_page_leads_to_the_login(owner: User) -> None:
    with_app(owner)
    assert Client().get(CODE)["Location"] == "/accounts/login/"
    client = Client()
    password_step(client, "owner")
    with time_machine.travel(time.time() + 6 * 60):  # the password was given too long ago
        assert client.get(CODE)["Location"] == "/accounts/login/"


def test_wrong_codes_lock_the_login_out(owner: User) -> None:
    device, _ = with_app(owner)
    client = Client()
    password_step(client, "owner")
    near = {totp_code(device, s) for s in (-30, 0, 30)}
    wrong = next(c for c in ("123456", "654321", "111111") if c not in near)

    statuses = []
    for _ in range(6):
        no_pause(owner)  # django-otp's own pause between tries aside: the lockout is tested
        statuses.append(client.post(CODE, {"code": wrong}).status_code)

    assert statuses == [400, 400, 400, 400, 429, 429]
    no_pause(owner)
    locked = client.post(CODE, {"code": totp_code(device)})
    assert locked.status_code == 429 and "ログインを一時的に制限しています" in locked.content.decode()
    assert not signed_in(client)
    assert Client().post("/accounts/login/", {"username": "owner", "password": PASSWORD}).status_code == 429


def test_a_recovery_code_signs_in_once(owner: User) -> None:
    _, codes = with_app(owner)
    written = devices.written(codes[0])  # as the page showed it: 1234-5678-9012
    client = Client()
    password_step(client, "owner", "/checks/")

    response = client.post(CODE, {"code": written})
    assert response.status_code == 302 and signed_in(client)
    assert "回復コードでログインしました" in client.get("/checks/").content.decode()
    assert devices.recovery_codes_left(owner) == 9

    again = Client()
    password_step(again, "owner")
    assert again.post(CODE, {"code": written}).status_code == 400 and not signed_in(again)
    assert Client().post(CODE, {"code": codes[1]})["Location"] == "/accounts/login/"  # never alone


def test_new_recovery_codes_replace_the_old_ones(owner: User) -> None:
    _, old = with_app(owner)
    client = Client()
    password_step(client, "owner")
    client.post(CODE, {"code": old[0]})

    page = client.get("/accounts/second-factor/recovery-codes/").content.decode()
    assert "残りの回復コード：9 個" in page and not re.findall(r"\d{4}-\d{4}-\d{4}", page)
    made = client.post("/accounts/second-factor/recovery-codes/")
    shown = re.findall(r"<li>(\d{4}-\d{4}-\d{4})</li>", client.get(made["Location"]).content.decode())

    assert len(shown) == 10
    tokens = set(StaticToken.objects.filter(device__user=owner).values_list("token", flat=True))
    assert tokens == {code.replace("-", "") for code in shown} and not tokens & set(old)


def test_unverified_sessions_cannot_make_recovery_codes(owner: User) -> None:
    with_app(owner)
    client = Client()
    client.force_login(owner)  # not through the code step
    assert client.post("/accounts/second-factor/recovery-codes/").status_code == 403


def test_removing_it_takes_the_password(owner: User) -> None:
    client = sign_in_verified(Client(), owner)
    url = "/accounts/second-factor/remove/"

    assert client.post(url, {"password": "wrong-password"}).status_code == 400
    assert devices.has_one(owner)
    response = client.post(url, {"password": PASSWORD})
    assert response["Location"] == "/accounts/second-factor/"
    assert not TOTPDevice.objects.filter(user=owner).exists() and devices.recovery_codes_left(owner) == 0
    assert password_step(Client(), "owner") == "/"  # the password alone again


def staff_member(settings: Settings, required: bool) -> User:
    settings.OTP_REQUIRED_FOR_STAFF = required
    admin = make_user("kanri", "管理 一郎")
    org = orgs.create_organisation(user=admin, name="東京都 福祉局", kind="prefecture", prefecture_id=None)
    staff = make_user("shokuin", "職員 二郎")
    Membership.objects.create(organisation=org, user=staff, role=Membership.Role.STAFF)
    return staff


def test_staff_add_a_second_factor_before_any_page_when_the_setting_says_so(settings: Settings) -> None:
    staff = staff_member(settings, required=True)
    client = Client()

    assert password_step(client, "shokuin", "/orgs/") == "/orgs/"
    assert client.get("/orgs/")["Location"] == f"{ADD}?next=%2Forgs%2F"
    assert client.get("/")["Location"] == f"{ADD}?next=%2F"
    assert client.post("/accounts/profile/", {"display_name": "別人"}).status_code == 403
    page = client.get(f"{ADD}?next=%2Forgs%2F")
    assert page.status_code == 200 and "管理者・職員" in page.content.decode()

    device = TOTPDevice.objects.get(user=staff)
    done = client.post(ADD, {"code": totp_code(device), "next": "/orgs/"})
    assert done.status_code == 302 and client.get("/orgs/").status_code == 200
    assert client.get(done["Location"]).status_code == 200  # the recovery codes, then on

    # Removing it (a lost phone) takes them straight to adding a new one.
    removed = client.post("/accounts/second-factor/remove/", {"password": PASSWORD})
    assert removed["Location"] == "/accounts/second-factor/add/"
    assert client.get("/orgs/")["Location"] == f"{ADD}?next=%2Forgs%2F"


def test_the_setting_off_asks_nothing_of_staff_and_supporters_never_have_to(settings: Settings) -> None:
    staff_member(settings, required=False)
    client = Client()
    password_step(client, "shokuin")
    assert client.get("/orgs/").status_code == 200

    settings.OTP_REQUIRED_FOR_STAFF = True
    make_user("shien", "支援 三郎")
    supporter = Client()
    password_step(supporter, "shien")
    assert supporter.get("/orgs/").status_code == 200
    assert not devices.must_have(User.objects.get(username="shien"))


def test_the_admin_site_always_asks_for_it(administrator: User, settings: Settings) -> None:
    settings.OTP_REQUIRED_FOR_STAFF = False
    client = Client()
    password_step(client, "admin")  # signed in with the password alone: the site, not the admin site
    assert client.get("/").status_code == 200

    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"
    assert client.get("/admin/login/?next=/admin/")["Location"] == f"{ADD}?next=%2Fadmin%2F"
    device = devices.pending_app(administrator)
    client.post(ADD, {"code": totp_code(device), "next": "/admin/"})
    assert client.get("/admin/").status_code == 200

    later = Client()  # the next login asks the code, and the admin site is open after it
    assert password_step(later, "admin", "/admin/") == f"{CODE}?next=%2Fadmin%2F"
    assert later.get("/admin/")["Location"].startswith("/admin/login/")
    later.post(f"{CODE}?next=%2Fadmin%2F", {"code": totp_code(device, 30)})
    assert later.get("/admin/").status_code == 200


def test_the_admin_login_is_the_sites_two_step_login(administrator: User) -> None:
    device, _ = with_app(administrator)
    client = Client()
    page = client.get("/admin/login/?next=/admin/")
    assert page.status_code == 200 and "ログインID" in page.content.decode()

    response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD})
    assert response["Location"] == f"{CODE}?next=%2Fadmin%2F" and not signed_in(client)
    client.post(f"{CODE}?next=%2Fadmin%2F", {"code": totp_code(device)})
    assert client.get("/admin/").status_code == 200

    away = client.get("/admin/login/?next=https://example.org/")
    assert away["Location"] == "/admin/"  # never a way off the site

    stale = Client()
    stale.force_login(administrator)  # a session without the code (from before the app was added)
    assert stale.get("/admin/login/").status_code == 200 and not signed_in(stale)  # logged out, asked again


def test_an_administrator_resets_someones_second_factor(administrator: User, owner: User) -> None:
    with_app(owner)
    admin = sign_in_verified(Client(), administrator)

    admin.post(
        "/admin/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [owner.pk]},
        follow=True,
    )

    assert not devices.has_one(owner) and devices.recovery_codes_left(owner) == 0
    assert devices.has_one(administrator)


def test_right_after_a_wrong_code_the_person_is_asked_to_wait_and_nothing_is_counted(owner: User) -> None:
    device, _ = with_app(owner)
    client = Client()
    password_step(client, "owner")
    near = {totp_code(device, s) for s in (-30, 0, 30)}
    wrong = next(c for c in ("123456", "654321", "111111") if c not in near)
    now = time.time()

    with time_machine.travel(now, tick=False):
        assert client.post(CODE, {"code": wrong}).status_code == 400
        response = client.post(CODE, {"code": totp_code(device)})
    assert "秒ほど待ってから" in response.content.decode() and not signed_in(client)
    assert AccessAttempt.objects.get(username="owner").failures_since_start == 1  # the wrong code only

    with time_machine.travel(now + 2, tick=False):
        assert client.post(CODE, {"code": totp_code(device)}).status_code == 302
