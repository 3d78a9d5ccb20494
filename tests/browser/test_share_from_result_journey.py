"""Journey 4 of issue 13, in a real browser, axe-clean: from a result, 「支援チームに共有する」 leads a
person in two teams to choose one, then to its share page with the check already chosen."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bansou.checks.models import Check
from bansou.domain.fiscal_year import fiscal_year_of
from bansou.places.models import Municipality
from bansou.sharing.models import CheckShare
from bansou.teams import services
from tests.browser.conftest import Visit, log_in
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def test_a_person_in_two_teams_shares_a_result_with_the_chosen_one(
    visit: Visit, live_server: Any, municipalities: object, submitted: Callable[..., Check]
) -> None:
    person = make_user("member", "調整 二郎", furigana="チョウセイ ジロウ")
    check = submitted(person)
    year = fiscal_year_of(timezone.localdate())
    chiyoda = Municipality.objects.get(lgcode="131016")
    services.create_team(user=person, municipality=chiyoda, fiscal_year=year, roles=["coordinator"])
    wanted = services.create_team(
        user=person, municipality=chiyoda, fiscal_year=year - 1, roles=["coordinator"]
    )
    page = visit.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/checks/{check.public_id}/")
    log_in(visit, page, "member")
    visit.check_page(page)
    page.get_by_role("link", name="支援チームに共有する").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("共有するチームを選ぶ")
    visit.check_page(page)
    page.get_by_role("link", name=re.compile(f"{year - 1}年度")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("チームに共有するチェック")
    expect(page.get_by_label(re.compile("に提出したチェック"))).to_be_checked()
    visit.check_page(page)
    page.get_by_role("button", name="保存する").click()

    expect(page.get_by_text("チームに共有するチェックを保存しました。")).to_be_visible()
    assert CheckShare.objects.get(owner=person).team == wanted
