"""A new team invitation: the link sits in a labelled readonly box; the copy button (shown by the
site's script) copies it and says so. An invitation that needs approval: the lead approves a request on
the members page. Leaving the team is confirmed on a page with a danger button."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from bansou.invitations.models import Invitation
from bansou.invitations.services import AwaitingApproval
from bansou.places.models import Municipality
from bansou.teams import services as teams
from tests.browser.conftest import Visit, log_in, shot
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def test_the_invitation_link_is_copied_by_its_button(
    visit: Visit, live_server: Any, municipalities: object
) -> None:
    lead = make_user("lead", "中核 一郎", furigana="チュウカク イチロウ")
    team = teams.create_team(
        user=lead, municipality=Municipality.objects.get(lgcode="131016"), fiscal_year=2026
    )
    visit.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = visit.new_page()
    page.goto(f"{live_server.url}/teams/{team.public_id}/members/")
    log_in(visit, page, "lead")

    page.get_by_role("button", name="招待リンクとコードを作る").click()
    box = page.get_by_role("textbox", name="招待リンク")
    expect(box).to_have_attribute("readonly", "")
    link = box.input_value()
    assert link.startswith(live_server.url + "/teams/join/")
    page.get_by_role("button", name="リンクをコピーする").click()
    expect(page.get_by_text("コピーしました。貼り付けて送れます。")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link
    visit.check_page(page)
    shot(page, "invitation-copy")

    # An invitation that needs approval: someone asks by it, the lead approves on the same page.
    page.get_by_role("radio", name=re.compile("^参加に承認が必要な招待")).check()
    page.get_by_label("メモ（誰に渡すか）").fill("補完さん")
    page.get_by_role("button", name="招待リンクとコードを作る").click()
    expect(page.get_by_text("承認が必要な招待リンクとコードを作りました。")).to_be_visible()
    asked = Invitation.objects.filter(approval_required=True).get()
    with pytest.raises(AwaitingApproval):
        teams.join(
            invitation=asked, user=make_user("hokan", "補完 六子"), roles=["advisor"], affiliation=None
        )
    page.goto(f"{live_server.url}/teams/{team.public_id}/members/")
    expect(page.get_by_role("table", name="承認を待っている申し込み")).to_contain_text("補完 六子")
    visit.check_page(page)
    shot(page, "team-join-requests")
    page.get_by_role("button", name="補完 六子 さんを承認する").click()
    expect(page.get_by_text("補完 六子 さんの参加を承認しました。")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^補完 六子"))).to_be_visible()
    visit.check_page(page)

    page.goto(f"{live_server.url}/teams/{team.public_id}/leave/")
    expect(page.get_by_role("button", name="チームから抜ける（元に戻せません）")).to_be_visible()
    visit.check_page(page)
    shot(page, "team-leave")
