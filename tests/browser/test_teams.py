"""A support team from start to 担当, in a real browser, axe-clean on every page.

A lead creates a team for 千代田区 through the 市町村 picker, invites two members by link; they join
in their own browsers and share (常に最新 / one check); the map shows the C gap on データ活用力; a
staff member of the running organisation finds a pool candidate for it; the lead records 担当 and
prints the dialogue sheet.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.domain.fiscal_year import fiscal_year_of, format_fiscal_year
from bansou.domain.framework import Axis, Framework
from bansou.orgs.models import Membership, Organisation
from bansou.orgs.services import create_organisation
from bansou.places.models import Municipality
from bansou.sharing import services as sharing_services
from bansou.sharing.choices import LATEST
from bansou.sharing.models import CheckShare
from bansou.teams import services
from bansou.teams.models import Assignment, Team, TeamMember
from tests.browser.conftest import Visit, another_browser, log_in, shot
from tests.conftest import make_user

pytestmark = pytest.mark.browser

DATA_ELEMENT = 4  # データ活用力, a C element


def all_but(element: int, framework: Framework) -> Callable[[str, Axis], int]:
    """○ on both axes everywhere except the items of ``element``."""
    codes = {item.code for item in framework.items() if item.element == element}
    return lambda code, axis: 0 if code in codes else 1


def join_and_share(visit: Visit, link: str, username: str, role: str, share: str | re.Pattern[str]) -> None:
    """A member opens the invitation link, logs in, reads what joining means, joins and shares."""
    page = visit.new_page()
    page.goto(link)
    log_in(visit, page, username)  # the link asks to log in first, then comes back
    expect(page.get_by_role("heading", level=1)).to_have_text("チームに参加する")
    expect(page.get_by_text("参加しても、あなたのチェックは共有されません")).to_be_visible()
    expect(
        page.get_by_text(re.compile("東京都 福祉局の職員は、チームとしての判定.*同意したときに限ります"))
    ).to_be_visible()
    visit.check_page(page)
    page.get_by_role("group", name=re.compile("^チームでの役割")).get_by_label(role, exact=True).check()
    page.get_by_role("button", name="このチームに参加する").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("チームに共有するチェック")
    expect(page.get_by_text("チームに参加しました。")).to_be_visible()
    choice = page.get_by_role("group", name="共有するチェック")
    expect(choice.get_by_label("共有しない")).to_be_checked()  # private until chosen
    visit.check_page(page)
    choice.get_by_label(share).check()
    page.get_by_label("東京都 福祉局の職員に、このチームの判定を示してよい").check()
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_text("チームに共有するチェックを保存しました。")).to_be_visible()
    expect(page.get_by_role("table", name="チームマップ")).to_be_visible()
    visit.check_page(page)


def test_a_lead_builds_a_team_that_finds_its_gap_fills_it_from_the_pool_and_assigns_it(
    visit: Visit,
    browser: Browser,
    live_server: Any,
    municipalities: object,
    framework: Framework,
    submitted: Callable[..., Check],
) -> None:
    base = live_server.url
    fiscal_year = fiscal_year_of(timezone.localdate())
    staff = make_user("staff", "県庁 四郎", furigana="ケンチョウ シロウ")
    lead = make_user("lead", "中核 一郎", furigana="チュウカク イチロウ")
    coordinator = make_user("chosei", "調整 二郎")
    advisor = make_user("jogen", "助言 三子")
    candidate = make_user("candidate", "補完 六子", furigana="ホカン ムツコ")
    org = create_organisation(user=staff, name="東京都 福祉局", kind="prefecture", prefecture_id="13")
    Membership.objects.create(organisation=org, user=lead, role=Membership.Role.STAFF)
    no_data = all_but(DATA_ELEMENT, framework)
    submitted(lead, no_data)
    submitted(coordinator, no_data)
    # The advisor shares an older check without element 4, not the latest one that has it.
    earlier = (timezone.localtime() - datetime.timedelta(days=30)).replace(second=0, microsecond=0)
    shared_check = submitted(advisor, no_data, now=earlier)
    submitted(advisor)
    # The candidate practises everything, is in the pool, and already in one team this 年度.
    submitted(candidate)
    pooled = Membership.objects.create(organisation=org, user=candidate, role=Membership.Role.SUPPORTER)
    sharing_services.set_pool(membership=pooled, choice=LATEST)
    services.create_team(
        user=candidate,
        municipality=Municipality.objects.get(lgcode="131024"),
        fiscal_year=fiscal_year,
        roles=["advisor"],
    )

    # The lead creates the team, finding the 団体コード in the picker.
    page = visit.new_page()
    page.goto(base + "/teams/new/")
    log_in(visit, page, "lead")
    expect(page.get_by_role("heading", level=1)).to_have_text("チームを作る")
    visit.check_page(page)
    page.get_by_role("link", name=re.compile("市町村一覧から探す")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("市区町村を探す")
    visit.check_page(page)
    page.get_by_label(re.compile("^名前・よみがな・団体コード")).fill("ちよだ")
    page.get_by_role("button", name="検索する").click()
    results = page.get_by_role("table", name=re.compile("検索結果"))
    expect(results.get_by_role("row", name=re.compile("千代田区"))).to_have_count(1)
    visit.check_page(page)
    results.get_by_role("link", name=re.compile("選ぶ.*千代田区")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("チームを作る")
    expect(page.get_by_label(re.compile("^支援する市町村"))).to_have_value("131016")
    page.get_by_label(re.compile("^年度")).select_option(label=format_fiscal_year(fiscal_year))
    page.get_by_label(re.compile("^運営する組織")).select_option(label="東京都 福祉局")
    page.get_by_role("group", name=re.compile("^あなたのチームでの役割")).get_by_label(
        "中核推進役", exact=True
    ).check()
    visit.check_page(page)
    page.get_by_role("button", name="チームを作る").click()

    # Members page: make an invitation and read its link.
    expect(page.get_by_role("heading", level=1)).to_have_text("メンバーと招待")
    expect(page.get_by_text("チームを作成しました。")).to_be_visible()
    team = Team.objects.get(municipality_id="131016")
    assert (team.fiscal_year, team.organisation) == (fiscal_year, org)
    assert TeamMember.objects.get(team=team).roles == ["core_promoter"]
    visit.check_page(page)
    links = []
    for _person in range(2):  # a single-use link each (the choice the page starts with)
        expect(page.get_by_role("radio", name=re.compile("^1人だけが使える招待"))).to_be_checked()
        page.get_by_role("button", name="招待リンクとコードを作る").click()
        expect(page.get_by_text("1人だけが使える招待リンクとコードを作りました。")).to_be_visible()
        visit.check_page(page)
        links.append(page.get_by_role("textbox", name="招待リンク").input_value())
    assert all(link.startswith(base + "/teams/join/") for link in links) and links[0] != links[1]

    # Two members join in their own browsers: one shares 常に最新, the other one check.
    with another_browser(browser, base) as theirs:
        join_and_share(theirs, links[0], "chosei", "調整役", re.compile("常に最新のチェック"))
    with another_browser(browser, base) as theirs:
        join_and_share(
            theirs, links[1], "jogen", "アドバイザー", earlier.strftime("%Y年%-m月%-d日 %H:%M に提出")
        )
    assert CheckShare.objects.get(team=team, owner=coordinator).check_record is None
    assert CheckShare.objects.get(team=team, owner=advisor).check_record == shared_check

    # The lead shares too, then sees the C gap and the map.
    page.get_by_role("link", name="チームのページに戻る").click()
    expect(page.get_by_text("あなたはまだこのチームにチェックを共有していません")).to_be_visible()
    visit.check_page(page)
    page.get_by_role("link", name="共有するチェックを選ぶ・共有をやめる").click()
    visit.check_page(page)
    page.get_by_label(re.compile("常に最新のチェック")).check()
    page.get_by_label("東京都 福祉局の職員に、このチームの判定を示してよい").check()
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_text("あなたは常に最新のチェックをこのチームに共有しています。")).to_be_visible()
    gaps = page.get_by_role("heading", name="不足しているところ").locator("xpath=following-sibling::ul[1]")
    expect(gaps).to_have_text("チーム全体で「データ活用力」を実践できているメンバーがいません")
    team_map = page.get_by_role("table", name="チームマップ")
    expect(team_map.locator("tbody tr")).to_have_count(3)
    expect(team_map.get_by_role("row", name=re.compile("^助言 三子"))).to_contain_text("実践 ×")
    visit.check_page(page)
    team_url = page.url

    # Staff of the running organisation (not a member) look for someone in the pool.
    with another_browser(browser, base) as theirs:
        staff_page = theirs.new_page()
        staff_page.goto(f"{base}/orgs/{org.public_id}/")
        log_in(theirs, staff_page, "staff")
        theirs.check_page(staff_page)
        staff_page.get_by_role("link", name=re.compile("千代田区")).click()
        expect(
            staff_page.get_by_text("チーム全体で「データ活用力」を実践できているメンバーがいません")
        ).to_be_visible()
        expect(staff_page.get_by_role("table", name="チームマップ")).to_have_count(0)
        theirs.check_page(staff_page)
        shot(staff_page, "staff-team")
        staff_page.get_by_role("link", name="組織の人材プールから、補える人を探す").click()
        expect(staff_page.get_by_role("heading", level=1)).to_have_text("人材プールから探す")
        expect(staff_page.get_by_role("heading", level=2)).to_have_text("1人 見つかりました")
        person = staff_page.get_by_role("row", name=re.compile("^補完 六子"))
        expect(person).to_contain_text("データ活用力")
        expect(person).to_contain_text("1チーム：東京都 中央区")
        # The gap is a C label: the search asked for the label (C-5, which is element 4).
        expect(staff_page.get_by_role("checkbox", name="データ活用力（エレメント 4）")).to_be_checked()
        theirs.check_page(staff_page)
        shot(staff_page, "pool")

    # The lead records 担当 for element 4; the map's 担当 row shows it.
    page.get_by_role("link", name="担当を決める").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("担当を決める")
    visit.check_page(page)
    page.get_by_role("group", name=f"{DATA_ELEMENT}. データ活用力").get_by_label("調整 二郎").check()
    page.get_by_role("button", name="担当を保存する").click()
    expect(page.get_by_text("担当を保存しました。")).to_be_visible()
    assigned = page.get_by_role("table", name="チームマップ").locator("tfoot tr")
    expect(assigned.locator("td").nth(DATA_ELEMENT - 1)).to_have_text("調整 二郎")
    expect(assigned.locator("td").nth(0)).to_have_text("未定")
    assert Assignment.objects.get(team=team).member.user == coordinator
    visit.check_page(page)

    # Keyboard: the skip link comes first and moves to the main content.
    page.goto(team_url)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="本文へ移動")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    visit.check_page(page)

    # The dialogue sheet, on screen and as printed.
    page.get_by_role("link", name="対話シート（印刷用）").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("チームの対話シート")
    expect(page.get_by_text("メンバー 3人のうち 3人 が共有したチェックから")).to_be_visible()
    nobody = page.get_by_role("heading", name="まだ誰も実践できていない項目").locator(
        "xpath=following-sibling::ul[1]"
    )
    expect(nobody).to_contain_text(f"エレメント{DATA_ELEMENT}")
    visit.check_page(page)
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name="チームのページに戻る")).to_be_hidden()
    visit.check_page(page)
    assert page.pdf()[:5] == b"%PDF-"
    assert User.objects.get(username="staff").team_memberships.count() == 0
    assert Organisation.objects.count() == 1
