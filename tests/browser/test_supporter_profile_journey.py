"""The supporter profile in a real browser, axe-clean on every page: a supporter in an organisation's
pool fills in their profile (都道府県, a 市町村 found with the picker, professions, the core role,
capacity, a period they are away, a wrong period first); the organisation's staff then see it in the
pool search, with this 年度's load and the supporter's past team with the organisation, and open it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from bansou.checks.models import Check
from bansou.domain.fiscal_year import fiscal_year_of, format_fiscal_year
from bansou.orgs.models import Membership
from bansou.orgs.services import create_organisation
from bansou.places.models import Municipality
from bansou.profiles.models import SupporterProfile
from bansou.sharing import services as sharing_services
from bansou.sharing.choices import LATEST
from bansou.teams import services
from bansou.teams.models import Team, TeamMember
from tests.browser.conftest import Visit, another_browser, log_in, shot
from tests.conftest import make_user

pytestmark = pytest.mark.browser

NOTE = "認知症施策、地域ケア会議の進行"


def test_a_supporter_fills_the_profile_and_the_organisations_staff_see_it_in_the_pool(
    visit: Visit,
    browser: Browser,
    live_server: Any,
    municipalities: object,
    submitted: Callable[..., Check],
) -> None:
    base = live_server.url
    fiscal_year = fiscal_year_of(timezone.localdate())
    staff = make_user("staff", "県庁 四郎", furigana="ケンチョウ シロウ")
    candidate = make_user("candidate", "補完 六子", furigana="ホカン ムツコ")
    org = create_organisation(user=staff, name="東京都 福祉局", kind="prefecture", prefecture_id="13")
    submitted(candidate)
    pooled = Membership.objects.create(organisation=org, user=candidate, role=Membership.Role.SUPPORTER)
    sharing_services.set_pool(membership=pooled, choice=LATEST)
    past = Team.objects.create(
        municipality=Municipality.objects.get(lgcode="131032"), fiscal_year=fiscal_year - 1, organisation=org
    )
    TeamMember.objects.create(team=past, user=candidate, roles=["advisor"])
    services.create_team(  # this 年度, another team, run by nobody
        user=candidate,
        municipality=Municipality.objects.get(lgcode="131024"),
        fiscal_year=fiscal_year,
        roles=[],
    )

    # The supporter goes from their account's profile to the supporter profile.
    page = visit.new_page()
    page.goto(base + "/accounts/profile/")
    log_in(visit, page, "candidate")
    page.get_by_role("link", name="支援者プロフィールを入力する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("支援者プロフィール")
    expect(page.get_by_role("list", name="いまこのプロフィールを見られる組織")).to_contain_text(
        "東京都 福祉局"
    )
    visit.check_page(page)
    shot(page, "profile-empty")

    prefectures = page.get_by_role("group", name=re.compile("^対応できる都道府県"))
    prefectures.get_by_label("東京都", exact=True).check()
    prefectures.get_by_label("神奈川県", exact=True).check()
    professions = page.get_by_role("group", name=re.compile("^職種・分野"))
    professions.get_by_label("保健師", exact=True).check()
    professions.get_by_label("社会福祉士", exact=True).check()
    page.get_by_label(re.compile("^そのほかの専門・得意分野")).fill(NOTE)
    page.get_by_label("中核推進役・調整役を担える").check()
    page.get_by_label(re.compile("^1年度に受けられるチームの数")).fill("2")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_text("支援者プロフィールを保存しました。")).to_be_visible()
    visit.check_page(page)

    # A 市町村, found with the picker.
    page.get_by_role("link", name=re.compile("市町村一覧から探す")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("市区町村を探す")
    page.get_by_label(re.compile("^名前・よみがな・団体コード")).fill("ちよだ")
    page.get_by_role("button", name="検索する").click()
    results = page.get_by_role("table", name=re.compile("検索結果"))
    results.get_by_role("link", name=re.compile("選ぶ.*千代田区")).click()
    expect(page.get_by_label(re.compile("^市町村（団体コード）"))).to_have_value("131016")
    visit.check_page(page)
    page.get_by_role("button", name="市町村を加える").click()
    expect(page.get_by_text("対応できる市町村に 東京都 千代田区 を加えました。")).to_be_visible()

    # A period that ends before it starts is refused, then a right one is kept.
    year = fiscal_year + 1
    page.get_by_label(re.compile("^開始日")).fill(f"{year}-02-10")
    page.get_by_label(re.compile("^終了日")).fill(f"{year}-02-01")
    page.get_by_role("button", name="期間を加える").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "終了日は、開始日と同じ日か、それより後の日にしてください。"
    )
    visit.check_page(page)
    shot(page, "profile-period-error")
    page.get_by_label(re.compile("^終了日")).fill(f"{year}-03-15")
    page.get_by_role("button", name="期間を加える").click()
    expect(page.get_by_text("対応できない期間を加えました。")).to_be_visible()
    expect(page.get_by_text(f"{year}年2月10日〜{year}年3月15日")).to_be_visible()
    visit.check_page(page)
    shot(page, "profile-filled")
    profile = SupporterProfile.objects.get(user=candidate)
    assert (profile.profession_note, profile.core_role, profile.capacity) == (NOTE, True, 2)

    # The organisation's staff find the supporter in the pool, with the profile.
    with another_browser(browser, base) as theirs:
        staff_page = theirs.new_page()
        staff_page.goto(f"{base}/teams/pool/{org.public_id}/")
        log_in(theirs, staff_page, "staff")
        expect(staff_page.get_by_role("heading", level=1)).to_have_text("人材プールから探す")
        staff_page.get_by_label(re.compile("データ活用力")).first.check()
        staff_page.get_by_role("button", name="探す").click()
        row = staff_page.get_by_role("row", name=re.compile("^補完 六子"))
        expect(row).to_contain_text("東京都、神奈川県")
        expect(row).to_contain_text("特に：東京都 千代田区")
        expect(row).to_contain_text("保健師、社会福祉士")
        expect(row).to_contain_text("担える")
        expect(row).to_contain_text("1年度に2チームまで")
        expect(row).to_contain_text(
            f"{format_fiscal_year(fiscal_year)}は1チームに参加（あと1チーム受けられます）"
        )
        expect(row).to_contain_text(f"{year}年2月10日〜{year}年3月15日")
        expect(row).to_contain_text(f"東京都 港区・{format_fiscal_year(fiscal_year - 1)}")
        theirs.check_page(staff_page)
        shot(staff_page, "pool-with-profile")
        row.get_by_role("link", name="補完 六子 さんのプロフィールを開く").click()
        expect(staff_page.get_by_role("heading", level=1)).to_have_text("補完 六子 さんの支援者プロフィール")
        expect(staff_page.get_by_text(NOTE)).to_be_visible()
        theirs.check_page(staff_page)
        shot(staff_page, "pool-person")
