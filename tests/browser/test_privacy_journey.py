"""個人情報 in a real browser, axe-clean and in Japanese: someone not signed in follows the footer to the
privacy page and reads the purpose of use on the sign-up page; a pool member whose profile the
organisation's staff opened reads that on their own sharing page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from bansou.accounts import audit
from tests.browser.conftest import Visit, log_in
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def test_the_privacy_page_the_purpose_at_sign_up_and_ones_own_audit_entries(
    visit: Visit, live_server: Any
) -> None:
    page = visit.new_page()
    page.goto(live_server.url + "/elements/")
    page.get_by_role("contentinfo").get_by_role("link", name="個人情報の取扱い").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("個人情報の取扱い")
    expect(page.get_by_role("heading", name="保存期間")).to_be_visible()
    visit.check_page(page)
    page.goto(live_server.url + "/accounts/signup/")
    expect(page.get_by_role("heading", name="個人情報の利用目的")).to_be_visible()
    visit.check_page(page)

    person = make_user("candidate", "補完 六子")
    staff = make_user("staff", "県庁 四郎")
    audit.record(staff, audit.Kind.POOL_PERSON, "東京都 福祉局／補完 六子", subject_id=person.pk)
    page.goto(live_server.url + "/teams/sharing/")
    log_in(visit, page, "candidate")
    table = page.get_by_role("region", name=re.compile("組織の職員があなたについて行った操作の記録"))
    expect(table).to_contain_text("県庁 四郎")
    expect(table).to_contain_text("人材プールの支援者プロフィールの閲覧")
    visit.check_page(page)
