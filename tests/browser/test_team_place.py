"""Journey 3 of issue 13: the right 市町村, and a way to correct it, in a real browser, axe-clean.

A lead searches 「ちよだ」: 東京都 千代田区 comes first; chosen, the form names it with its 都道府県 and
code. Later the lead corrects the 市町村 and the 年度 in the team's settings.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bansou.domain.fiscal_year import fiscal_year_of, format_fiscal_year
from bansou.teams.models import Team
from tests.browser.conftest import Visit, log_in
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def test_a_lead_finds_the_tokyo_ward_first_and_later_corrects_the_municipality_and_year(
    visit: Visit, live_server: Any, municipalities: object
) -> None:
    make_user("lead", "中核 一郎", furigana="チュウカク イチロウ")
    fiscal_year = fiscal_year_of(timezone.localdate())
    page = visit.new_page()
    page.goto(live_server.url + "/teams/new/")
    log_in(visit, page, "lead")
    page.get_by_role("link", name=re.compile("市町村一覧から探す")).click()
    page.get_by_label(re.compile("^名前・よみがな・団体コード")).fill("ちよだ")
    page.get_by_role("button", name="検索する").click()
    rows = page.get_by_role("table", name=re.compile("検索結果")).locator("tbody tr")
    expect(rows.first).to_contain_text("東京都")
    expect(rows.first).to_contain_text("千代田区")
    expect(rows.nth(1)).to_contain_text("群馬県")
    visit.check_page(page)
    rows.first.get_by_role("link", name=re.compile("選ぶ")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("チームを作る")
    expect(page.get_by_text("東京都 千代田区（131016）")).to_be_visible()
    visit.check_page(page)
    page.get_by_role("group", name=re.compile("^あなたのチームでの役割")).get_by_label(
        "中核推進役", exact=True
    ).check()
    page.get_by_role("button", name="チームを作る").click()
    expect(page.get_by_text("チームを作成しました。")).to_be_visible()

    # Later: the team was meant for 群馬県 千代田町, last 年度.
    page.goto(live_server.url + f"/teams/{Team.objects.get().public_id}/settings/")
    expect(page.get_by_text("東京都 千代田区（131016）")).to_be_visible()
    visit.check_page(page)
    page.get_by_role("link", name="別の市町村を市町村一覧から探す").click()
    page.get_by_label(re.compile("^名前・よみがな・団体コード")).fill("ちよだまち")
    page.get_by_role("button", name="検索する").click()
    page.get_by_role("link", name=re.compile("選ぶ.*千代田町")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("チームの設定")
    expect(page.get_by_text("群馬県 千代田町（105236）")).to_be_visible()
    page.get_by_label(re.compile("^年度")).select_option(label=format_fiscal_year(fiscal_year - 1))
    visit.check_page(page)
    page.get_by_role("button", name="保存する").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("群馬県 千代田町")
    expect(page.get_by_text(format_fiscal_year(fiscal_year - 1)).first).to_be_visible()
    visit.check_page(page)
