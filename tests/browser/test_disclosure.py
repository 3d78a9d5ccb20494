"""The five-person rule as people meet it, in a real browser, axe-clean (issue 12).

A participant reads, before handing in, how many people are in the 研修 and what the totals can and
cannot keep from the organiser. The organiser of four 研修 whose totals would combine into that
participant's answers opens them one after another: three show, the fourth says why it does not.
With BANSOU_SCREENSHOTS=<folder>, the pages are saved there (desktop and phone widths) to be looked at.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from bansou.checks.models import Check
from bansou.cohorts import services
from bansou.cohorts.models import Cohort, Phase
from bansou.orgs.services import create_organisation
from tests.browser.conftest import Visit, log_in, shot
from tests.cohorts.conftest import new_cohort
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def test_combined_totals_are_withheld_and_participants_read_the_limits(
    visit: Visit, live_server: Any, submitted: Callable[..., Check]
) -> None:
    base = live_server.url
    organiser = make_user("organiser", "県庁 主催", furigana="ケンチョウ シュサイ")
    org = create_organisation(user=organiser, name="東京都 福祉局", kind="prefecture", prefecture_id=None)
    people = [make_user(f"p{n}", f"参加 {n}号", furigana="サンカ") for n in range(21)]
    checks = [submitted(person) for person in people]
    blocks = [range(1, 6), range(6, 11), range(11, 16), range(16, 21)]
    p, q, r, w = ([*block] for block in blocks)
    groups = [[0, *p, *q], [*p, *r], [*q, *w], [*r, *w]]  # the first less the others' sum: person 0
    cohorts: list[Cohort] = [new_cohort(org, organiser, name=f"伴走支援研修 第{i + 1}回") for i in range(4)]
    for cohort, group in zip(cohorts, groups, strict=True):
        for n in group:
            participant, _ = services.join(cohort=cohort, user=people[n])
            services.hand_in(
                participant=participant, phase=Phase.PRE, check_public_id=str(checks[n].public_id)
            )

    # The participant, before the phase closes: how many are in it, and what the totals can keep.
    page = visit.new_page()
    page.goto(base + reverse("cohorts:detail", args=[cohorts[0].public_id]))
    log_in(visit, page, "p0")
    expect(page.get_by_text(re.compile(r"この研修の参加者は、いま\s*11人です"))).to_be_visible()
    expect(page.get_by_text("集計のしくみでは守れないこと")).to_be_visible()
    visit.check_page(page)
    shot(page, "participant-cohort")
    page.context.clear_cookies()

    for cohort in cohorts:
        services.close_phase(cohort=cohort, phase=Phase.PRE)
    page.goto(base + reverse("cohorts:results", args=[cohorts[0].public_id]))
    log_in(visit, page, "organiser")
    for cohort in cohorts[:3]:
        page.goto(base + reverse("cohorts:results", args=[cohort.public_id]))
        expect(page.get_by_role("heading", name="エレメントごとの理解と実践").first).to_be_visible()
        visit.check_page(page)
    page.goto(base + reverse("cohorts:results", args=[cohorts[3].public_id]))
    expect(page.get_by_text("組み合わせると、一人の回答が計算で分かってしまうため")).to_be_visible()
    visit.check_page(page)
    shot(page, "organiser-withheld")
