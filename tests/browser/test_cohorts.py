"""A 研修 from start to totals, and a personal plan, in a real browser, axe-clean on every page.

An organiser creates a 研修; six participants join by the link, each in their own browser, and hand
in a pre-check (their checks were submitted beforehand, in the database); the organiser sees status,
closes the pre-check and sees its totals; five hand in a post-check; after closing, the post totals
are shown and the change is withheld by the five-person rule (over the five who did both it would
give away the sixth's pre-check). The participant makes a
plan from their result and sees it beside the items of their next check.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, expect

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.cohorts.models import Cohort, Phase, Submission
from bansou.domain.framework import Axis, Framework
from bansou.orgs.services import create_organisation
from bansou.plans.models import Plan, Step
from tests.browser.conftest import Visit, another_browser, log_in
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def not_practised(codes: set[str]) -> Callable[[str, Axis], int]:
    return lambda code, axis: 0 if (axis is Axis.PRACTICE and code in codes) else 1


def label_of(check: Check) -> str:
    return timezone.localtime(check.submitted_at).strftime("%Y年%-m月%-d日 %H:%M に提出したチェック")


def test_a_cohort_with_pre_and_post_checks_and_a_plan(
    visit: Visit, browser: Browser, live_server: Any, framework: Framework, submitted: Callable[..., Check]
) -> None:
    base = live_server.url
    organiser = make_user("organiser", "県庁 主催", furigana="ケンチョウ シュサイ")
    org = create_organisation(user=organiser, name="東京都 福祉局", kind="prefecture", prefecture_id=None)
    learner = make_user("learner", "研修 一子", furigana="ケンシュウ イチコ")
    focus = [item.code for item in framework.items()][:2]  # 理解○ 実践× in the pre-check: suggested
    earlier = (timezone.localtime() - datetime.timedelta(days=20)).replace(second=0, microsecond=0)
    pre_check = submitted(learner, not_practised(set(focus)), now=earlier)
    post_check = submitted(learner)
    others: list[User] = [make_user(f"p{n}", f"参加 {n}号") for n in range(5)]

    # The organiser creates the 研修.
    page = visit.new_page()
    page.goto(base + "/cohorts/new/")
    log_in(visit, page, "organiser")
    expect(page.get_by_role("heading", level=1)).to_have_text("研修を作る")
    visit.check_page(page)
    today = timezone.localdate()
    page.get_by_label(re.compile("^研修名")).fill("地域づくり伴走支援研修")
    page.get_by_label(re.compile("^初日")).fill((today + datetime.timedelta(days=7)).isoformat())
    page.get_by_label(re.compile("^最終日")).fill((today + datetime.timedelta(days=8)).isoformat())
    page.get_by_label(re.compile("^事前チェックの締切日")).fill(
        (today + datetime.timedelta(days=6)).isoformat()
    )
    page.get_by_label(re.compile("^事後チェックの締切日")).fill(
        (today + datetime.timedelta(days=30)).isoformat()
    )
    page.get_by_role("button", name="研修を作る").click()
    expect(page.get_by_text("研修を作成しました。")).to_be_visible()
    visit.check_page(page)
    cohort = Cohort.objects.get(name="地域づくり伴走支援研修")
    assert cohort.organisation == org
    link = page.get_by_role("textbox", name="参加用のリンク").input_value()
    assert link.startswith(base + "/cohorts/join/")

    # Six participants join by the link, each in their own browser, and hand in a pre-check.
    pre_checks = {learner: pre_check}
    for n, user in enumerate(others):
        pre_checks[user] = submitted(
            user, not_practised({[i.code for i in framework.items()][n]}), now=earlier
        )
    post_checks = {learner: post_check, **{user: submitted(user) for user in others[:4]}}
    for user, check in pre_checks.items():
        with another_browser(browser, base) as theirs:
            mine = theirs.new_page()
            mine.goto(link)
            log_in(theirs, mine, user.username)
            expect(mine.get_by_role("heading", level=1)).to_have_text("研修に参加する")
            expect(
                mine.get_by_text("あなたの回答そのものは、主催者にもほかの参加者にも見えません。")
            ).to_be_visible()
            theirs.check_page(mine)
            mine.get_by_role("button", name="この研修に参加する").click()
            expect(mine.get_by_text("研修に参加しました。")).to_be_visible()
            theirs.check_page(mine)
            mine.get_by_label("事前チェックとして提出するチェック").select_option(label=label_of(check))
            mine.get_by_role("button", name="事前チェックとして提出する").click()
            expect(mine.get_by_text("事前チェックを提出しました。")).to_be_visible()
            theirs.check_page(mine)
    assert {s.check_record for s in Submission.objects.filter(phase=Phase.PRE)} == set(pre_checks.values())

    # The organiser sees who handed in, then closes the pre-check and reads its totals.
    page.reload()
    expect(page.get_by_text("参加者 6人：事前チェック 6人提出、事後チェック 0人提出")).to_be_visible()
    status = page.get_by_role("table", name="参加者ごとの提出状況")
    expect(status.locator("tbody tr")).to_have_count(6)
    visit.check_page(page)
    page.get_by_role("link", name="集計を見る").click()
    expect(page.get_by_text(re.compile("締切後に表示します")).first).to_be_visible()
    visit.check_page(page)
    page.go_back()
    page.get_by_role("link", name="事前チェックを今すぐ締め切る").click()
    visit.check_page(page)
    page.get_by_role("button", name="締め切る").click()
    expect(page.get_by_text("事前チェックを締め切りました。")).to_be_visible()
    page.get_by_role("link", name="集計を見る").click()
    expect(page.get_by_role("heading", name="研修の重点候補")).to_be_visible()
    expect(page.get_by_role("table", name="エレメントごとの割合（表）")).to_contain_text("事前（6人）")
    visit.check_page(page)

    # Five hand in a post-check, each in their own browser; then the organiser closes it.
    for user, check in post_checks.items():
        with another_browser(browser, base) as theirs:
            mine = theirs.new_page()
            mine.goto(f"{base}/cohorts/{cohort.public_id}/")
            log_in(theirs, mine, user.username)
            expect(mine.get_by_text("締め切りました。").first).to_be_visible()
            mine.get_by_label("事後チェックとして提出するチェック").select_option(label=label_of(check))
            mine.get_by_role("button", name="事後チェックとして提出する").click()
            expect(mine.get_by_text("事後チェックを提出しました。")).to_be_visible()
            theirs.check_page(mine)
    page.goto(f"{base}/cohorts/{cohort.public_id}/")
    expect(page.get_by_text("参加者 6人：事前チェック 6人提出、事後チェック 5人提出")).to_be_visible()
    page.get_by_role("link", name="事後チェックを今すぐ締め切る").click()
    page.get_by_role("button", name="締め切る").click()
    expect(page.get_by_text("事後チェックを締め切りました。")).to_be_visible()
    page.get_by_role("link", name="集計を見る").click()

    # Post totals are shown over five; the change is withheld.
    expect(page.get_by_role("table", name="エレメントごとの割合（表）")).to_contain_text("事後（5人）")
    expect(
        page.get_by_text(re.compile("変化（事前と事後の両方を提出した人）：5人 — これまでに示した別の集計"))
    ).to_be_visible()
    expect(page.get_by_text("ポイント増")).to_have_count(0)
    visit.check_page(page)
    page.get_by_role("link", name="投影用の画面").click()
    expect(page.get_by_role("heading", name="研修の重点候補")).to_be_visible()
    for user in [learner, *others]:
        expect(page.get_by_text(user.display_name)).to_have_count(0)
    visit.check_page(page)
    page.goto(base + reverse("cohorts:org_overview", args=[org.public_id]))
    expect(page.get_by_text("5人未満のため表示しません。")).to_be_visible()
    visit.check_page(page)

    # The participant makes a plan from their pre-check's result and sees it at the next check.
    with another_browser(browser, base) as theirs:
        mine = theirs.new_page()
        mine.goto(f"{base}/accounts/login/?next=/checks/{pre_check.public_id}/")  # a visitor gets 404 there
        log_in(theirs, mine, "learner")
        theirs.check_page(mine)
        mine.get_by_role("link", name="「次の一歩」の計画を作る").click()
        expect(mine.get_by_role("heading", level=1)).to_have_text("次の一歩：取り組む項目を選ぶ")
        expect(mine.get_by_text(framework.texts.caution)).to_be_visible()
        theirs.check_page(mine)
        mine.get_by_role("button", name="この項目で計画を作る").click()
        expect(mine.get_by_role("heading", level=1)).to_have_text("次の一歩")
        theirs.check_page(mine)
        first = mine.get_by_role("group").filter(has_text=next(framework.items()).name).first
        first.get_by_label(re.compile("^次の一歩")).fill("次の会議で、住民の声を集める方法を提案する")
        first.get_by_label(re.compile("^いつまでに")).fill("2027-01-31")
        first.get_by_label("取り組み中").check()
        mine.get_by_label(re.compile("^振り返り")).fill("まず一つ。")
        mine.get_by_role("button", name="保存する").click()
        expect(mine.get_by_text("保存しました。")).to_be_visible()
        theirs.check_page(mine)
        plan = Plan.objects.get(owner=learner)
        assert sorted(Step.objects.filter(plan=plan).values_list("item_code", flat=True)) == sorted(focus)

        mine.goto(f"{base}/checks/")
        mine.get_by_role("button", name=re.compile("新しいチェックを始める")).click()
        expect(mine.get_by_role("heading", level=1)).to_have_text("セルフチェック")
        note = mine.locator(".item .plan-note").filter(has_text="次の会議で、住民の声を集める方法を提案する")
        expect(note).to_have_count(1)
        expect(note).to_contain_text("状況：取り組み中・2027年1月31日まで")
        theirs.check_page(mine)
