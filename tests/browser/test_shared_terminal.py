"""A shared terminal (issue 15, item 2): answers the sheet kept in the browser while they could not be
sent belong to whoever's session kept them. When the session idles out, the login page says why and
the browser forgets them; the next person to log in there never gets them (nor does another person
signed in, for answers tagged with someone else)."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import override_settings
from playwright.sync_api import Page, expect

from bansou.accounts.session_limits import LAST_SEEN
from tests.browser.conftest import Visit, log_in
from tests.browser.test_self_check_flow import answer, start_check, wait_saved
from tests.conftest import make_user

pytestmark = pytest.mark.browser

KEPT = "Object.keys(localStorage).filter(k => k.startsWith('bansou:'))"


def idle_out(visit: Visit) -> None:
    """The server-side session of this browser was last used nine hours ago."""
    (cookie,) = [c for c in visit.context.cookies() if c["name"].endswith("sessionid")]
    session = SessionStore(session_key=cookie["value"])
    session[LAST_SEEN] = int(time.time()) - 9 * 60 * 60
    session.save()


def keep_an_unsent_answer(page: Page) -> str:
    """Answers one item while the connection is down: it stays kept in the browser. Its key."""
    page.route("**/autosave/", lambda route: route.abort())
    answer(page, "2-1", "practice", "いいえ")
    expect(page.locator("#save-status")).to_contain_text("接続できません")
    page.unroute("**/autosave/")
    (key,) = page.evaluate(KEPT)
    return str(key)


def test_answers_kept_for_a_session_that_idled_out_are_not_handed_on(visit: Visit, live_server: Any) -> None:
    make_user("hanako", "伴走 花子")
    make_user("jiro", "支援 次郎")
    page = visit.new_page()
    page.goto(live_server.url + "/accounts/login/")
    log_in(visit, page, "hanako")
    start_check(page)
    answer(page, "3-2", "practice", "はい")
    wait_saved(page)
    key = keep_an_unsent_answer(page)
    assert re.fullmatch(r"bansou:pending:[0-9a-f]{24}:[\w-]+", key), key

    idle_out(visit)
    page.goto(live_server.url + "/checks/history/")

    expect(page.get_by_role("heading", level=1)).to_have_text("ログイン")
    expect(page.get_by_role("status")).to_contain_text(
        "しばらく操作がなかったため、安全のためにログアウトしました。"
    )
    visit.check_page(page)
    assert page.evaluate(KEPT) == []  # forgotten before anyone logs in

    log_in(visit, page, "jiro")  # the next person, on to the page the login page leads to
    assert page.evaluate(KEPT) == []
    page.goto(live_server.url + "/")
    start_check(page)
    expect(
        page.locator('fieldset[data-item="2-1"][data-axis="practice"]').get_by_label("いいえ")
    ).not_to_be_checked()
    assert page.evaluate(KEPT) == []


def test_answers_tagged_with_someone_else_are_forgotten_on_the_next_page(
    visit: Visit, live_server: Any
) -> None:
    make_user("hanako", "伴走 花子")
    page = visit.new_page()
    page.goto(live_server.url + "/accounts/login/")
    log_in(visit, page, "hanako")
    start_check(page)
    mine = keep_an_unsent_answer(page)
    theirs = re.sub(r":[0-9a-f]{24}:", ":" + "0" * 24 + ":", mine)
    page.evaluate(f"localStorage.setItem('{theirs}', '{{}}')")
    page.evaluate("localStorage.setItem('bansou:pending:an-old-untagged-draft', '{}')")

    page.goto(live_server.url + "/")

    assert page.evaluate(KEPT) == [mine]  # one's own, still to be sent, stays


@override_settings(SESSION_IDLE_SECONDS=2, SESSION_IDLE_SECONDS_STAFF=2)
def test_a_page_left_alone_gives_way_to_the_login_page_once_its_session_idled_out(
    visit: Visit, live_server: Any
) -> None:
    make_user("hanako", "伴走 花子")
    page = visit.new_page()
    page.goto(live_server.url + "/accounts/login/?next=/checks/history/")
    log_in(visit, page, "hanako")
    expect(page.locator("body")).to_have_attribute("data-session-idle-seconds", "2")

    # Nobody touches the page: it loads itself again after the idle limit (and a margin).
    expect(page.get_by_role("heading", level=1)).to_have_text("ログイン", timeout=20_000)
    expect(page.get_by_role("status")).to_contain_text("しばらく操作がなかったため")
    assert "next=/checks/history/" in page.url
    visit.check_page(page)
