"""Forming a team from the pool in a real browser, axe-clean on every page, no outside requests: staff
of an organisation whose pool holds people with profiles and shared checks go from the pool page to a
proposal for 千代田区, see the quick proposal replaced by the exact one (asked for by the page's
script in a second request), read why each person was chosen and the verdicts the team would have,
and form the team with a chosen lead: the invitations, one per member, are there to hand out."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from bansou.checks.models import Check
from bansou.domain.framework import Framework
from bansou.invitations.models import Invitation, Kind
from bansou.orgs.models import Membership
from bansou.orgs.services import create_organisation
from bansou.places.models import Prefecture
from bansou.profiles import services as profiles
from bansou.proposals.models import TeamProposal
from bansou.sharing import services as sharing_services
from bansou.sharing.choices import LATEST
from bansou.teams.models import Team
from tests.browser.conftest import Visit, log_in, shot
from tests.conftest import make_user
from tests.teams.test_queries import practising

pytestmark = pytest.mark.browser

PEOPLE = [  # name, フリガナ, what they practise, may take the core role
    ("青木 一子", "アオキ イチコ", {2, 3, 6, "C-2", "C-3"}, True),
    ("井上 二郎", "イノウエ ジロウ", {7, 9, 1, "C-4", "C-7"}, True),
    ("上田 三子", "ウエダ ミツコ", {4, 5, "C-9"}, False),
    ("江口 四郎", "エグチ シロウ", {8, "C-2", "C-3", "C-4"}, False),
    ("大野 五子", "オオノ イツコ", {2, 9, "C-7", "C-9"}, True),
]


def test_staff_ask_for_a_team_read_why_and_form_it_with_invitations(
    visit: Visit,
    live_server: Any,
    municipalities: object,
    framework: Framework,
    submitted: Callable[..., Check],
) -> None:
    base = live_server.url
    staff = make_user("staff", "県庁 四郎", furigana="ケンチョウ シロウ")
    org = create_organisation(user=staff, name="東京都 福祉局", kind="prefecture", prefecture_id="13")
    tokyo = Prefecture.objects.get(code="13")
    for n, (name, kana, practised, core) in enumerate(PEOPLE):
        person = make_user(f"p{n}", name, furigana=kana)
        submitted(person, practising(framework, practised))
        membership = Membership.objects.create(organisation=org, user=person, role=Membership.Role.SUPPORTER)
        sharing_services.set_pool(membership=membership, choice=LATEST)
        profiles.save_profile(
            user_id=person.pk, prefectures=[tokyo] if n % 2 == 0 else [], professions=["public_health_nurse"],
            profession_note="", core_role=core, capacity=2,
        )  # fmt: skip

    page = visit.new_page()
    page.goto(f"{base}/teams/pool/{org.public_id}/")
    log_in(visit, page, "staff")
    page.get_by_role("link", name=re.compile("チームを、人材プールから提案してもらう")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("チームを提案する")
    visit.check_page(page)
    page.get_by_label(re.compile("^支援する市町村")).fill("131016")
    page.get_by_label(re.compile("^チームの人数（下限）")).fill("3")
    page.get_by_label(re.compile("^チームの人数（上限）")).fill("4")
    page.get_by_label(re.compile("その地域に対応できる人")).check()
    shot(page, "proposal-form")
    page.get_by_role("button", name="提案を見る").click()

    # The quick proposal first; the page's script asks for the exact one and shows it.
    expect(page.get_by_role("heading", level=1)).to_have_text("東京都 千代田区 のチームの提案")
    expect(page.get_by_text(re.compile("厳密に解き"))).to_have_count(3, timeout=30_000)
    assert TeamProposal.objects.get().exact is not None
    first = page.get_by_role("region", name="提案 1")
    members = first.get_by_role("list", name="提案 1 のメンバーと選んだ理由")
    expect(members).to_contain_text("中核推進役・調整役")
    expect(members).to_contain_text("その地域に対応できます")
    verdicts = first.get_by_role("table", name=re.compile("提案 1 のチームを作った場合の判定"))
    expect(verdicts).to_contain_text("伴走支援チームの役割理解")
    visit.check_page(page)
    shot(page, "proposal-exact")

    # Form the team of proposal 1 with a member as its lead.
    form = first.get_by_role("group", name="リーダー")
    form.get_by_role("radio").nth(1).check()
    first.get_by_label("チーム名").fill("第1支援チーム")
    first.get_by_role("group", name=re.compile("あなたのチームでの役割")).get_by_label("都道府県職員").check()
    first.get_by_role("button", name="提案 1 でチームを作る").click()
    expect(page.get_by_text(re.compile("チームを作りました。"))).to_be_visible()
    team = Team.objects.get(name="第1支援チーム")
    invitations = Invitation.objects.filter(kind=Kind.TEAM, target_id=team.pk)
    expect(page.get_by_text(re.compile("さんへの招待リンクです"))).to_have_count(invitations.count())
    assert [i.role for i in invitations if i.role] == ["lead"]
    visit.check_page(page)
    shot(page, "proposal-team-invitations")
