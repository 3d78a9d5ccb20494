"""Handing a check in to a 研修 where the person is (issue 13, journey 2), in a real browser, axe-clean.

A participant joins by the link, starts a check from the 研修's page, answers every item, submits, and
hands the check in from its result in one step; the organiser's 研修 page then shows 提出済み for them.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from bansou.checks.models import Check
from bansou.cohorts import services
from bansou.cohorts.models import Phase, StartedCheck, Submission
from bansou.domain.fiscal_year import fiscal_year_of
from bansou.frameworks.queries import current_version
from bansou.invitations.codes import format_code
from bansou.orgs.services import create_organisation
from tests.browser.conftest import Visit, another_browser, log_in, shot
from tests.browser.test_self_check_flow import answer_all, wait_saved
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def test_a_participant_starts_a_check_from_the_cohort_and_hands_it_in_from_the_result(
    visit: Visit, browser: Browser, live_server: Any
) -> None:
    base = live_server.url
    organiser = make_user("organiser", "県庁 主催", furigana="ケンチョウ シュサイ")
    org = create_organisation(user=organiser, name="東京都 福祉局", kind="prefecture", prefecture_id=None)
    learner = make_user("learner", "研修 一子", furigana="ケンシュウ イチコ")
    today = timezone.localdate()
    cohort, issued = services.create_cohort(
        user=organiser,
        organisation=org,
        framework=current_version(),
        name="地域づくり伴走支援研修",
        fiscal_year=fiscal_year_of(today),
        starts_on=today + datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=8),
        pre_deadline=today + datetime.timedelta(days=6),
        post_deadline=today + datetime.timedelta(days=30),
    )

    # The participant opens the link, logs in, and joins.
    page = visit.new_page()
    page.goto(f"{base}/cohorts/join/{format_code(issued.code)}/")
    log_in(visit, page, "learner")
    expect(page.get_by_role("heading", level=1)).to_have_text("研修に参加する")
    page.get_by_role("button", name="この研修に参加する").click()
    expect(page.get_by_text("研修に参加しました。")).to_be_visible()
    next_step = page.locator(".next-step")
    expect(next_step).to_contain_text("次にすること：事前チェックをして、提出する（締切 ")
    expect(page.get_by_text("提出できるチェックがまだありません。")).to_be_visible()
    visit.check_page(page)
    shot(page, "cohort-next-step")

    # They start the check from the 研修's page, answer every item (saved as they go), and submit.
    page.get_by_role("button", name="チェックをする（続きから／新しく）").click()
    page.wait_for_url("**/checks/drafts/**")
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", level=1)).to_have_text("セルフチェック")
    assert StartedCheck.objects.filter(participant__user=learner, participant__cohort=cohort).exists()
    visit.check_page(page)
    answer_all(page)
    wait_saved(page)
    page.get_by_role("button", name="提出する").click()
    page.get_by_role("button", name="この内容で提出する").click()

    # The result offers this 研修's 事前チェック in one step, with what the organiser will see.
    expect(page.get_by_role("heading", level=1)).to_have_text("セルフチェックの結果")
    offer = page.get_by_role("form", name="地域づくり伴走支援研修")
    expect(offer).to_contain_text("このチェックは、この研修のページから始めたものです。")
    expect(offer).to_contain_text("あなたの回答そのものは、主催者にもほかの参加者にも見えません。")
    page.get_by_text("集計で守られること・守れないこと").click()
    expect(page.get_by_text("主催者に見えるのは5人以上の集計だけです。", exact=False)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("事後チェック"))).to_have_count(0)
    visit.check_page(page)
    shot(page, "result-hand-in")
    offer.get_by_role("button", name="この研修の事前チェックとして提出する").click()

    # Back on the 研修's page: handed in, and the next step is the 事後 check after the training.
    expect(page.get_by_role("heading", level=1)).to_have_text("地域づくり伴走支援研修")
    expect(page.get_by_text("事前チェックを提出しました。")).to_be_visible()
    expect(next_step).to_contain_text("事前チェックは提出済みです。")
    expect(next_step).to_contain_text("もう一度チェックをして事後チェックとして提出する")
    expect(page.get_by_role("button", name="事後チェックとして提出する")).to_have_count(0)
    visit.check_page(page)
    check = Check.objects.get(owner=learner)
    assert Submission.objects.get(participant__user=learner, phase=Phase.PRE).check_record == check

    # The organiser's page shows 提出済み for them.
    with another_browser(browser, base) as theirs:
        mine = theirs.new_page()
        mine.goto(f"{base}/cohorts/{cohort.public_id}/")
        log_in(theirs, mine, "organiser")
        status = mine.get_by_role("table", name="参加者ごとの提出状況")
        row = status.get_by_role("row", name=re.compile("研修 一子"))
        expect(row.get_by_role("cell").first).to_have_text("提出済み")
        expect(mine.get_by_text("参加者 1人：事前チェック 1人提出、事後チェック 0人提出")).to_be_visible()
        theirs.check_page(mine)
