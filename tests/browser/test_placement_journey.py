"""A year across the prefecture in a real browser (issue 17), axe-clean on every page, no outside
requests: staff of an organisation whose pool of 30 has profiles and shared checks plan five 市町村 at
once (配置計画), see the quick plan replaced by the exact one, read the gaps no placement can fill,
download them (read back with openpyxl), accept the plan, and see the dashboard count the new teams;
a placed person finds the request on their team list and joins, and the dashboard's load follows."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Browser, Page, expect

from bansou.domain.fiscal_year import format_fiscal_year
from bansou.placements.models import PlacementPlan
from bansou.teams.models import Offer, Team, TeamMember
from tests.browser.conftest import Visit, another_browser, log_in, shot
from tests.placements.conftest import FY, World, world
from tests.teams.test_queries import build

__all__ = ["build", "world"]

pytestmark = pytest.mark.browser


def teams_this_year(page: Page) -> str:
    return page.get_by_text(re.compile("この組織が運営するチーム（")).inner_text()


def test_staff_plan_five_places_read_the_gaps_accept_and_see_the_dashboard(
    visit: Visit, browser: Browser, world: World, tmp_path: Path
) -> None:
    world.grow(30)
    base = visit.base_url
    org = world.org.public_id
    year = format_fiscal_year(FY)

    page = visit.new_page()
    page.goto(f"{base}/dashboard/{org}/?year={FY}")
    log_in(visit, page, world.staff.username)
    expect(page.get_by_role("heading", level=1)).to_contain_text("ダッシュボード")
    assert f"{year} 1チーム" in teams_this_year(page)
    uncovered = page.get_by_role("table", name=re.compile("にチームのない市町村"))
    expect(uncovered).to_contain_text("新宿区")
    visit.check_page(page)

    # From the organisation's pool to the plan: the 市町村 of this 年度's team is there already.
    page.goto(f"{base}/teams/pool/{org}/")
    page.get_by_role("link", name=re.compile("配置計画")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("配置計画")
    places = page.get_by_label(re.compile("^支援する市町村"))
    expect(places).to_have_value(re.compile("131016"))
    places.fill("\n".join(m.lgcode for m in world.places))
    page.get_by_label(re.compile("^チームの人数（下限）")).fill("2")
    page.get_by_label(re.compile("^チームの人数（上限）")).fill("3")
    visit.check_page(page)
    shot(page, "placement-form")
    page.get_by_role("button", name="計画を見る").click()

    # The quick plan first; the page's script asks for the exact one and shows it.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{year}の配置計画")
    expect(page.get_by_role("button", name="厳密な計画を計算する")).to_have_count(0, timeout=60_000)
    plan = PlacementPlan.objects.get()
    assert plan.exact is not None
    table = page.get_by_role("table", name="市町村ごとの配置")
    for place in world.places:
        expect(table).to_contain_text(place.name)
    expect(table).to_contain_text("中核推進役・調整役")
    gaps = page.get_by_role("table", name="満たせない力と理由")
    expect(gaps).to_contain_text("新宿区")  # nobody practises C-9: unmet in every 市町村
    expect(page.get_by_text(re.compile("アドバイザー等の確保"))).to_be_visible()
    visit.check_page(page)
    shot(page, "placement-plan")

    with page.expect_download() as caught:
        page.get_by_role("link", name="満たせない力の一覧をダウンロード（Excel）").click()
    target = (
        tmp_path / "gaps.xlsx"
    )  # a copy of our own: Playwright's folder sits beside the clone (standalone)
    caught.value.save_as(target)
    book = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
    rows = list(book["不足（計画全体）"].iter_rows(values_only=True))
    assert rows[0][0] == "区分"
    assert any(row[1] == "C:C-9" and row[4] == len(world.places) for row in rows[1:])

    page.get_by_role("button", name="この計画を受け入れる").click()
    expect(page.get_by_text(re.compile("この計画は .* に受け入れました。"))).to_be_visible()
    visit.check_page(page)
    made = Team.objects.filter(organisation=world.org).exclude(pk=world.team.pk)
    assert made.count() == len(world.places) - 1
    assert not TeamMember.objects.filter(team__in=made).exists()  # asked, not yet members

    page.goto(f"{base}/dashboard/{org}/?year={FY}")
    assert f"{year} {len(world.places)}チーム" in teams_this_year(page)
    expect(page.get_by_role("table", name=re.compile("にチームのない市町村"))).not_to_contain_text("新宿区")
    visit.check_page(page)
    shot(page, "placement-dashboard")

    # A placed person finds the request on their team list, joins, and is asked what to share.
    offer = Offer.objects.filter(team__in=made).order_by("pk").first()
    assert offer is not None
    with another_browser(browser, base) as person:
        mine = person.new_page()
        mine.goto(f"{base}/teams/")
        log_in(person, mine, offer.user.username)
        requests = mine.get_by_role("region", name="チームへの参加の依頼")
        requests.get_by_role("link").first.click()
        expect(mine.get_by_role("heading", level=1)).to_have_text("チームへの参加の依頼")
        person.check_page(mine)
        mine.get_by_role("button", name="参加する").click()
        mine.wait_for_url(re.compile(r"/share/"))
        person.check_page(mine)
        shot(mine, "placement-offer-joined")
    assert TeamMember.objects.filter(team=offer.team, user=offer.user).exists()
