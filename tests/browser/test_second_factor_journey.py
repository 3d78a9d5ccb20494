"""The second factor in a real browser, axe-clean (issue 15, item 10).

A member of an organisation's staff, where the setting asks staff for a second factor, logs in with
the password and is taken to add an authenticator app before the page they asked for: the QR code
drawn on the server (inline SVG), the key to type, one code from the app (computed here as the app
computes it). Their recovery codes are shown once, then they go on to the page they asked for. At
the next login the code is asked after the password (a wrong one is refused and said so), and the
right one leads on.
"""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect
from pytest_django import Settings

from bansou.accounts.second_factor import devices
from bansou.orgs import services as orgs
from bansou.orgs.models import Membership
from tests.browser.conftest import PASSWORD, Visit, log_in, shot
from tests.conftest import make_user, totp_code

pytestmark = pytest.mark.browser


def add_the_app(visit: Visit, page: Page, device: TOTPDevice) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("2段階認証の設定")
    expect(page.get_by_role("img", name="認証アプリで読み取る二次元コード")).to_be_visible()
    expect(page.locator("[data-key]")).to_have_text(" ".join(devices.key_groups(device)))
    visit.check_page(page)
    shot(page, "second-factor-add")
    page.get_by_label(re.compile("^確認コード")).fill(totp_code(device))
    page.get_by_role("button", name="設定する").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("回復コード")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    visit.check_page(page)
    shot(page, "second-factor-recovery-codes")
    page.get_by_role("link", name="保管しました。続ける").click()


def test_staff_add_an_app_then_log_in_with_its_code(visit: Visit, settings: Settings) -> None:
    settings.OTP_REQUIRED_FOR_STAFF = True
    admin = make_user("kanri", "管理 一郎")
    org = orgs.create_organisation(user=admin, name="東京都 福祉局", kind="prefecture", prefecture_id=None)
    staff = make_user("shokuin", "職員 二郎")
    Membership.objects.create(organisation=org, user=staff, role=Membership.Role.STAFF)
    device = devices.pending_app(staff)  # the key the page will show, known so that it may be shown
    visit.typed(*devices.key_groups(device))

    page = visit.new_page()
    page.goto(f"{visit.base_url}/orgs/")
    log_in(visit, page, "shokuin")
    add_the_app(visit, page, device)
    page.wait_for_url(f"{visit.base_url}/orgs/")
    visit.check_page(page)

    page.get_by_role("button", name="ログアウト").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ログアウトしました")
    page.goto(f"{visit.base_url}/orgs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ログイン")
    page.get_by_label(re.compile("^ログインID")).fill("shokuin")
    page.get_by_label(re.compile("^パスワード")).fill(PASSWORD)
    page.get_by_role("button", name="ログインする").click()
    page.wait_for_url(re.compile("/accounts/login/code/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("確認コードの入力")
    visit.check_page(page)
    shot(page, "second-factor-login")
    field = page.get_by_label(re.compile("^確認コード"))
    field.fill("000000" if totp_code(device, 30) != "000000" else "111111")
    page.get_by_role("button", name="ログインする").click()
    expect(page.locator(".field-errors")).to_contain_text("確認コードが正しくありません")
    visit.check_page(page)

    page.wait_for_timeout(1_100)  # django-otp's pause after a wrong code: one second
    field.fill(totp_code(device, 30))  # the next step's code: the first was used when adding the app
    page.get_by_role("button", name="ログインする").click()
    page.wait_for_url(f"{visit.base_url}/orgs/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("確認コードの入力")
    visit.check_page(page)
