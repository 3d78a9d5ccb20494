"""The charts as people see them (issue 13, items 8 and 9), in a real browser, axe-clean.

The projector view of a 研修 at 1920 × 1080: one chart filling the screen, labels readable from the
back of the room (≥ 28 px), a scale, solid bars told apart by pattern and words as well as colour,
each chart and the table on a screen of their own. The result at 1280 and 390 px: the radar with
short names, the previous check faint, the change column on one line, the three 力 summarised above
the 研修 hand-in offer.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bansou.checks.models import Check
from bansou.cohorts import services
from bansou.domain.framework import Axis, Framework
from bansou.orgs.services import create_organisation
from tests.browser.conftest import SHOTS, Visit, log_in
from tests.cohorts.conftest import new_cohort
from tests.cohorts.test_pages import close_both, enrol
from tests.conftest import make_user

pytestmark = pytest.mark.browser


def save(page: Page, name: str) -> None:
    """With BANSOU_SCREENSHOTS set, the page as it is now (its viewport's width), full length."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_the_projector_shows_one_large_chart_per_screen(
    visit: Visit, live_server: Any, framework: Framework, submitted: Callable[..., Check]
) -> None:
    organiser = make_user("organiser", "県庁 主催", furigana="ケンチョウ シュサイ")
    org = create_organisation(user=organiser, name="東京都 福祉局", kind="prefecture", prefecture_id=None)
    cohort = new_cohort(org, organiser)
    enrol(cohort, 6, submitted, framework, post=6)
    close_both(cohort)

    page = visit.new_page()
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/cohorts/{cohort.public_id}/projector/")
    log_in(visit, page, "organiser")
    page.wait_for_url(f"**/cohorts/{cohort.public_id}/projector/")
    expect(page.locator(".projector-chart")).to_have_count(2)
    visit.check_page(page)

    first = page.locator(".projector-chart-svg").first
    first.scroll_into_view_if_needed()
    box = first.bounding_box()
    assert box is not None and box["width"] >= 0.8 * 1920
    # The chart fits its screen (a projector shows one screen at a time).
    assert box["height"] <= 1080
    sizes: list[float] = page.eval_on_selector_all(
        ".projector-chart-svg text",
        """texts => texts.map(t => {
            const svg = t.ownerSVGElement;
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            const size = parseFloat(getComputedStyle(t).fontSize);
            return Math.min(size, size * scale);
        })""",
    )
    assert sizes and min(sizes) >= 28, sorted(sizes)[:5]
    # A scale: ticks from 0 to 100 % under each chart.
    for chart in page.locator(".projector-chart").all():
        ticks = chart.locator(".chart-tick").all_text_contents()
        assert ticks == ["0%", "25%", "50%", "75%", "100%"]
    # Solid bars: 事前 and 事後 told apart by pattern and words, not by colour alone.
    for number in (1, 2):
        fills = page.eval_on_selector_all(
            f"#screen-chart-{number} rect.chart-bar", "rs => rs.map(r => r.getAttribute('fill'))"
        )
        assert len(fills) == 18 and set(fills) == {f"url(#screen-chart-{number}-first)", "#1a5e8a"}
    legend = page.locator(".projector-chart").first.locator(".legend")
    expect(legend).to_contain_text("事前（斜線）")
    expect(legend).to_contain_text("事後（塗りつぶし）")
    save(page, "projector-1920-chart")

    # Each chart and the table on a screen of its own, reached by the keyboard.
    screens = page.locator("section.screen")
    for index in range(screens.count()):
        screen_box = screens.nth(index).bounding_box()
        assert screen_box is not None and screen_box["height"] >= 1080 - 1
    table_screen = page.locator("#screen-table")
    expect(table_screen.get_by_role("table")).to_have_count(1)
    page.get_by_role("link", name="次の画面へ").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**#screen-chart-1")
    if SHOTS:  # the screen the projector shows after the title
        page.screenshot(path=str(Path(SHOTS) / "projector-1920-first-chart-screen.png"))
    page.evaluate("window.scrollTo(0, 0)")
    save(page, "projector-1920")


def test_the_result_with_a_previous_check_and_a_cohort_to_hand_in_to(
    visit: Visit, live_server: Any, framework: Framework, submitted: Callable[..., Check]
) -> None:
    organiser = make_user("organiser", "県庁 主催", furigana="ケンチョウ シュサイ")
    org = create_organisation(user=organiser, name="東京都 福祉局", kind="prefecture", prefecture_id=None)
    learner = make_user("learner", "研修 一子", furigana="ケンシュウ イチコ")
    services.join(cohort=new_cohort(org, organiser), user=learner)
    earlier = timezone.localtime() - datetime.timedelta(days=90)
    element_of = {item.code: item.element for item in framework.items()}
    # Before: about half of each element's items ○ (its lines run inside this check's).
    position = {code: index for index, code in enumerate(framework.item_codes())}
    submitted(learner, lambda code, axis: int(position[code] % 2 == (axis is Axis.PRACTICE)), now=earlier)
    check = submitted(
        learner,
        lambda code, axis: 0 if axis is Axis.PRACTICE and element_of[code] in (2, 6, 9) else 1,
    )

    page = visit.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/checks/{check.public_id}/")
    log_in(visit, page, "learner")
    expect(page.get_by_role("heading", level=1)).to_have_text("セルフチェックの結果")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        visit.check_page(page)
        # Each change stays on one line (「→ 変化なし」 is not broken).
        lines = page.eval_on_selector_all(
            ".scores .change", "spans => spans.map(s => s.getClientRects().length)"
        )
        assert lines and set(lines) == {1}
        heights = page.eval_on_selector_all(
            ".scores .change", "spans => spans.map(s => s.getBoundingClientRect().height)"
        )
        assert max(heights) < 2 * min(heights)
        expect(page.locator(".radar-series")).to_have_count(4)
        expect(page.locator(".radar-legend li")).to_have_count(4)
        save(page, f"result-{width}")
