"""Journey 5 of issue 13, in a real browser, axe-clean: someone with no organisation opens 研修を作る,
learns that an organisation runs a 研修, registers one and is back on the form with it chosen."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect
from pytest_django import Settings

from tests.browser.conftest import Visit, log_in
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def test_a_newcomer_registers_an_organisation_on_the_way_to_a_cohort(
    visit: Visit, live_server: Any, municipalities: object, settings: Settings
) -> None:
    settings.ORG_REGISTRATION = "anyone"
    make_user("newcomer", "新任 一子", furigana="シンニン イチコ")
    page = visit.new_page()
    page.goto(live_server.url + "/cohorts/new/")
    log_in(visit, page, "newcomer")

    expect(page.get_by_text(re.compile("研修は、組織.*が運営します"))).to_be_visible()
    visit.check_page(page)
    page.get_by_role("link", name="組織を登録する").click()
    page.get_by_label(re.compile("^組織名")).fill("〇〇県 長寿社会課")
    page.get_by_label(re.compile("^種別")).select_option(index=1)
    visit.check_page(page)
    page.get_by_role("button", name=re.compile("登録する|作成する")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("研修を作る")
    expect(page.get_by_text("組織を作成しました。")).to_be_visible()
    expect(page.get_by_label(re.compile("^主催する組織"))).to_have_value(re.compile(".+"))
    expect(page.get_by_label(re.compile("^主催する組織")).locator("option:checked")).to_have_text(
        "〇〇県 長寿社会課"
    )
    visit.check_page(page)
