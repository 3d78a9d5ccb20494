"""The team map fits (issue 13, item 6), measured in the browser: a team of 8 with long roles and a long
organisation name shows all 9 elements without scrolling at 1,280 px; on a 390 px phone the map
scrolls inside its own box with the member column held in place, and the page never scrolls sideways.
The map of the nine C labels (issue 14) below it does the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bansou.checks.models import Check
from bansou.domain.fiscal_year import fiscal_year_of
from bansou.domain.framework import Axis, Framework
from bansou.orgs.services import create_organisation
from bansou.places.models import Municipality
from bansou.sharing import services as sharing_services
from bansou.sharing.choices import LATEST, Audience
from bansou.teams import services
from bansou.teams.models import Team, TeamMember
from tests.browser.conftest import Visit, log_in, shot
from tests.conftest import make_user

pytestmark = pytest.mark.browser

LONG_ORG = "東京都 福祉局 高齢者施策推進部 地域包括ケア推進課 在宅医療・認知症施策担当"
ALL_ROLES = ["core_promoter", "coordinator", "advisor", "prefecture_staff", "municipal_staff", "other"]
PEOPLE = (  # username, display name, roles
    ("m1", "勘解由小路 美智子", ["coordinator", "advisor", "prefecture_staff"]),
    ("m2", "長谷川 一郎太", ["advisor", "municipal_staff", "other"]),
    ("m3", "佐々木 あゆみ", ["prefecture_staff", "municipal_staff"]),
    ("m4", "渡辺 健太郎", ["coordinator", "prefecture_staff", "other"]),
    ("m5", "小笠原 さくら", ["advisor"]),
    ("m6", "東海林 大輔", ["municipal_staff", "advisor", "coordinator"]),
    ("m7", "五十嵐 真由美", ["other", "prefecture_staff"]),
)

# A map's scroll box (the region labelled by the map's caption), measured in the page.
MEASURE = """(caption) => {
  const box = document.querySelector(`[aria-labelledby="${caption}"]`);
  const edge = box.getBoundingClientRect();
  const heads = [...box.querySelectorAll('thead th')].map(th => {
    const r = th.getBoundingClientRect();
    return {text: th.textContent.trim(), left: r.left, right: r.right};
  });
  return {scrollWidth: box.scrollWidth, clientWidth: box.clientWidth,
          left: edge.left, right: edge.right, heads: heads};
}"""


def element_answers(framework: Framework, seed: int) -> Callable[[str, Axis], int]:
    """A varied check: each member lacks some elements on one axis or the other."""
    codes = {item.code: item.element for item in framework.items()}

    def value(code: str, axis: Axis) -> int:
        element = codes[code] or 0
        return 0 if (element + seed + (axis is Axis.PRACTICE)) % 3 == 0 else 1

    return value


def build_team(framework: Framework, submitted: Callable[..., Check]) -> Team:
    lead = make_user("lead", "中核 一郎")
    org = create_organisation(user=lead, name=LONG_ORG, kind="prefecture", prefecture_id="13")
    team = services.create_team(
        user=lead,
        municipality=Municipality.objects.get(lgcode="131016"),
        fiscal_year=fiscal_year_of(timezone.localdate()),
        organisation=org,
        roles=ALL_ROLES,
    )
    TeamMember.objects.filter(team=team).update(affiliation=org)
    people = [lead]
    for username, name, roles in PEOPLE:
        user = make_user(username, name)
        TeamMember.objects.create(team=team, user=user, roles=roles, affiliation=org)
        people.append(user)
    for seed, user in enumerate(people[:-1]):  # the last one shares nothing
        submitted(user, element_answers(framework, seed))
        sharing_services.share(user=user, audience=Audience.team(team.pk), choice=LATEST)
    return team


def measure(page: Page, caption: str = "map-caption") -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(MEASURE, caption)
    return found


def test_the_team_map_of_eight_fits_the_desktop_and_scrolls_in_its_box_on_a_phone(
    visit: Visit,
    live_server: Any,
    municipalities: object,
    framework: Framework,
    submitted: Callable[..., Check],
) -> None:
    team = build_team(framework, submitted)
    page = visit.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/teams/{team.public_id}/")
    log_in(visit, page, "lead")
    team_map = page.get_by_role("table", name="チームマップ")
    expect(team_map.locator("tbody tr")).to_have_count(8)
    visit.check_page(page)

    desktop = measure(page)
    assert desktop["scrollWidth"] <= desktop["clientWidth"], desktop
    elements = [h for h in desktop["heads"] if h["text"][:1].isdigit()]
    assert len(elements) == 9
    for head in desktop["heads"]:  # every column header lies inside the box, none cut off
        assert desktop["left"] - 1 <= head["left"] and head["right"] <= desktop["right"] + 1, head
    for number in range(1, 10):
        expect(team_map.locator("thead th").nth(number)).to_be_visible()

    label_map = page.get_by_role("table", name="C の力のマップ")
    expect(label_map.locator("tbody tr")).to_have_count(8)
    labels = measure(page, "label-map-caption")
    assert labels["scrollWidth"] <= labels["clientWidth"], labels
    assert [h["text"][:2] for h in labels["heads"][1:]] == [f"C{n}" for n in range(1, 10)]
    for head in labels["heads"]:
        assert labels["left"] - 1 <= head["left"] and head["right"] <= labels["right"] + 1, head
    assert "エレメント 4" in labels["heads"][5]["text"]  # データ活用力 is element 4
    shot(page, "team-map")

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone = measure(page)
    assert phone["right"] <= 390
    # The map scrolls inside its box; the member column stays where it is.
    member = team_map.locator("tbody th").first
    before = member.bounding_box()
    page.evaluate(
        "() => { const b = document.querySelector('[aria-labelledby=\"map-caption\"]'); b.scrollLeft = 400; }"
    )
    after = member.bounding_box()
    assert before is not None and after is not None
    assert abs(after["x"] - before["x"]) <= 1, (before, after)  # the table's own 1 px left border
    # The label map too: it scrolls in its own box (its columns keep a readable width).
    phone_labels = measure(page, "label-map-caption")
    assert phone_labels["right"] <= 390
    assert phone_labels["scrollWidth"] > phone_labels["clientWidth"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    visit.check_page(page)
