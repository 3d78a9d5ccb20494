"""An invitation survives login and sign-up (issue 13, journey 1), in a real browser, axe-clean.

A newcomer opens a team's invitation link with no account: the login page says what they are
invited to, its sign-up link keeps the way back, and after creating an account they are on the join
page and join. Someone with an account logs in from the same kind of link and is led back too. With
invite-only sign-up, an invitation that grants sign-up lets a newcomer in without typing its code,
and any other says to ask the organisation's 管理者.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from bansou.invitations import services as invitations
from bansou.invitations.models import Kind
from bansou.places.models import Municipality
from bansou.teams import services as teams
from bansou.teams.models import Team
from tests.browser.conftest import Visit, another_browser, log_in, shot
from tests.conftest import make_user

pytestmark = pytest.mark.browser

INVITED = "支援チーム「東京都 千代田区（まちづくり）」に招待されています"
ASK = "アカウントをお持ちでない方は、組織の管理者に招待を依頼してください。"


def link_to(base: str, team: Team, *, grants_signup: bool = False) -> str:
    code = invitations.issue(kind=Kind.TEAM, target_id=team.pk, grants_signup=grants_signup).code
    return f"{base}/teams/join/{code}/"


def sign_up_and_join(visit: Visit, link: str, username: str, name: str) -> None:
    """A newcomer opens the link, goes from the login page to sign-up, creates an account, joins."""
    page = visit.new_page()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("ログイン")
    expect(page.get_by_text(INVITED)).to_be_visible()
    visit.check_page(page)
    shot(page, f"invited-login-{username}")
    page.get_by_role("link", name="アカウントを作成する").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("アカウント作成")
    expect(page.get_by_text(INVITED)).to_be_visible()
    expect(page.get_by_label(re.compile("^招待コード"))).to_have_count(0)  # carried from the link
    visit.check_page(page)
    shot(page, f"invited-signup-{username}")
    page.locator("input[name=username]").fill(username)
    visit.typed(username)
    page.locator("input[name=display_name]").fill(name)
    page.locator("input[name=password1]").fill("correct-horse-battery")
    page.locator("input[name=password2]").fill("correct-horse-battery")
    page.get_by_role("button", name="アカウントを作成する").click()
    join(visit, page)


def join(visit: Visit, page: Page) -> None:
    """On the join page (as today, it asks first), joins the team as アドバイザー."""
    expect(page.get_by_role("heading", level=1)).to_have_text("チームに参加する")
    expect(page.get_by_text("東京都 千代田区（まちづくり）")).to_be_visible()
    visit.check_page(page)
    page.get_by_role("group", name=re.compile("^チームでの役割")).get_by_label(
        "アドバイザー", exact=True
    ).check()
    page.get_by_role("button", name="このチームに参加する").click()
    expect(page.get_by_text("チームに参加しました。")).to_be_visible()
    visit.check_page(page)


def log_in_and_join(visit: Visit, link: str, username: str, *, ask: bool) -> None:
    """Someone with an account opens the link, reads the invitation on the login page, logs in."""
    page = visit.new_page()
    page.goto(link)
    expect(page.get_by_text(INVITED)).to_be_visible()
    if ask:  # invite-only sign-up, an invitation that makes no accounts: no way to sign up here
        expect(page.get_by_text(ASK)).to_be_visible()
        expect(page.get_by_role("link", name="アカウントを作成する")).to_have_count(0)
    log_in(visit, page, username)
    join(visit, page)


def test_an_invitation_leads_a_newcomer_and_a_member_through_sign_up_or_login_to_joining(
    visit: Visit, browser: Browser, live_server: Any, municipalities: object, settings: Any
) -> None:
    base = live_server.url
    lead = make_user("lead", "中核 一郎")
    make_user("member", "既存 二郎")
    make_user("colleague", "既存 三子")
    chiyoda = Municipality.objects.get(lgcode="131016")
    team = teams.create_team(user=lead, municipality=chiyoda, fiscal_year=2026, name="まちづくり")

    # Open sign-up (`make run`): any invitation lets a newcomer create an account on the way.
    settings.SIGNUP_MODE = "open"
    sign_up_and_join(visit, link_to(base, team), "newcomer", "新人 一子")
    with another_browser(browser, base) as theirs:
        log_in_and_join(theirs, link_to(base, team), "member", ask=False)

    # Invite-only sign-up (production): only an invitation that grants sign-up makes an account.
    settings.SIGNUP_MODE = "invite"
    with another_browser(browser, base) as theirs:
        sign_up_and_join(theirs, link_to(base, team, grants_signup=True), "invited", "招待 四郎")
    with another_browser(browser, base) as theirs:
        log_in_and_join(theirs, link_to(base, team), "colleague", ask=True)

    members = set(team.members.values_list("user__username", flat=True))
    assert members == {"lead", "newcomer", "member", "invited", "colleague"}
