"""配置計画 from end to end (issue 17): staff plan five 市町村 from a pool of 30 with profiles and
shared checks, read the table, the verdicts and the gaps across the planned 市町村 (the input to
recruiting and 研修), download the gaps (xlsx, CSV) and the plan, have it solved exactly, and accept
it: teams with offers for the 市町村 without one, a change proposal for the existing team, which its
lead accepts. Refusals are said in Japanese, naming the 市町村 and why."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from bansou.accounts.models import AuditEntry
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.placements.models import ChangeProposal, PlacementPerson, PlacementPlan
from bansou.teams.models import Offer, Team, TeamMember
from tests.placements.conftest import FY, World, ask, planned, world

__all__ = ["world"]

pytestmark = pytest.mark.django_db


def test_staff_plan_five_places_read_download_solve_and_accept(world: World) -> None:
    world.grow(30)
    client = world.client("staff")
    form = client.get(reverse("placements:new", args=[world.org.public_id])).content.decode()
    assert "131016" in form  # the 市町村 of the organisation's team this 年度, pre-filled
    plan = planned(world)
    assert len(plan.targets) == 5 and plan.targets[0]["team"] == world.team.pk
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.PLACEMENT).count() == 1
    args = [world.org.public_id, plan.public_id]
    page = client.get(reverse("placements:detail", args=args)).content.decode()
    for words in ("市町村ごとの配置", "中核推進役・調整役", "速い方法による計画"):
        assert words in page, words
    # each 市町村 has its own verdict table, and C-9 (nobody practises it) is a gap in every one
    for place in world.places[1:]:
        assert f"{place} のチームの判定" in page
    assert "東京都 新宿区" in page
    # the existing team's members outside the pool stay, and the page says the plan does not count them
    assert "中核 一郎（今のメンバー・人材プールの外の人" in page and "調整 二郎（今のメンバー" in page
    assert "プールの中に" in page  # C-9: nobody practises it, in every 市町村
    assert PlacementPerson.objects.filter(plan=plan).exists()

    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("placements:gaps_xlsx", args=args)).content))
    assert book.sheetnames[:2] == ["不足（計画全体）", "不足の市町村"]
    summary = list(book["不足（計画全体）"].iter_rows(values_only=True))
    assert summary[0][0] == "区分" and any(row[1] == "C:C-9" and row[4] == 5 for row in summary[1:])
    text = client.get(reverse("placements:gaps_csv", args=args)).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["区分", "力コード"]
    assert {r[3] for r in rows[1:] if r[1] == "C:C-9"} == {m.lgcode for m in world.places}
    plan_rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("placements:plan_csv", args=args)).content.decode("utf-8-sig"))
        )
    )
    assert plan_rows[0][0] == "団体コード" and len(plan_rows) > 5

    assert client.post(reverse("placements:exact", args=args), HTTP_ACCEPT="application/json").json() == {
        "done": True
    }
    plan.refresh_from_db()
    assert plan.exact is not None and plan.exact_at is not None
    page = client.get(reverse("placements:detail", args=args)).content.decode()
    assert "厳密に解き" in page and "proposals/exact.js" not in page

    assert client.post(reverse("placements:accept", args=args)).status_code == 302
    plan.refresh_from_db()
    assert plan.accepted_by == world.staff
    made = Team.objects.filter(organisation=world.org).exclude(pk=world.team.pk)
    assert sorted(made.values_list("municipality_id", flat=True)) == sorted(
        m.lgcode for m in world.places[1:]
    )
    assert not TeamMember.objects.filter(team__in=made).exists()  # nobody is a member until they accept
    placed = {t["target"]: t for t in plan.exact["plan"]["teams"]}
    for team in made:
        offers = Offer.objects.filter(team=team)
        assert sorted(str(o.user_id) for o in offers) == sorted(placed[team.municipality_id]["members"])
        assert [o.is_lead for o in offers].count(True) == 1
    change = ChangeProposal.objects.get(team=world.team)
    assert change.add and change.status == "open"

    again = client.post(reverse("placements:accept", args=args))  # once: nothing more
    assert again.status_code == 302 and Team.objects.filter(organisation=world.org).count() == 5

    lead = world.client("lead")
    team_page = lead.get(reverse("teams:detail", args=[world.team.public_id])).content.decode()
    assert reverse("placements:change", args=[change.public_id]) in team_page
    assert (
        lead.post(reverse("placements:change", args=[change.public_id]), {"answer": "accept"}).status_code
        == 302
    )
    change.refresh_from_db()
    assert change.status == "accepted" and change.decided_by == world.lead
    assert sorted(Offer.objects.filter(team=world.team).values_list("user_id", flat=True)) == sorted(
        entry[0] for entry in change.add
    )
    team_page = lead.get(reverse("teams:detail", args=[world.team.public_id])).content.decode()
    assert reverse("placements:change", args=[change.public_id]) not in team_page


def test_last_years_plan_is_shown_beside_this_years(world: World) -> None:
    before = planned(world)
    PlacementPlan.objects.filter(pk=before.pk).update(fiscal_year=FY - 1)
    plan = planned(world)
    client = world.client("staff")
    listing = client.get(reverse("placements:new", args=[world.org.public_id])).content.decode()
    last_year, this_year = listing.index(format_fiscal_year(FY - 1)), listing.index(format_fiscal_year(FY))
    # each plan under its own 年度
    assert listing.index(str(plan.public_id)) < last_year < listing.index(str(before.public_id))
    assert this_year < last_year
    page = client.get(
        reverse("placements:detail", args=[world.org.public_id, plan.public_id])
    ).content.decode()
    assert str(before.public_id) in page and f"{FY - 1}" in page


def test_a_place_the_pool_cannot_staff_is_named_with_why(world: World) -> None:
    response = world.client("staff").post(
        reverse("placements:new", args=[world.org.public_id]), ask(world, size_max=8, core_min=7, core_max=7)
    )
    page = response.content.decode()
    assert (
        response.status_code == 200
        and "チームを作れません" in page
        and "東京都 新宿区" in page
        and "中核推進役・調整役を担える人が6人" in page
    )
    assert not PlacementPlan.objects.exists()


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"municipalities": "999999"}, "団体コードが正しくありません"),
        ({"municipalities": ""}, "支援する市町村"),
        ({"size_min": 4, "size_max": 2}, "上限は下限以上にしてください"),
    ],
)
def test_bad_input_is_said_in_japanese(world: World, changes: dict[str, object], words: str) -> None:
    response = world.client("staff").post(
        reverse("placements:new", args=[world.org.public_id]), ask(world, **changes)
    )
    assert response.status_code == 200 and words in response.content.decode()
    assert not PlacementPlan.objects.exists()


def test_the_picker_brings_a_place_back_to_the_form(world: World) -> None:
    client = world.client("staff")
    url = reverse("placements:new", args=[world.org.public_id])
    going = client.get(url, {"pick": "1", "fiscal_year": FY, "municipalities": "131016", "size_min": "2"})
    assert going.status_code == 302 and going["Location"].startswith(reverse("places:municipalities"))
    back = client.get(url, {"fiscal_year": FY, "municipalities": "131016", "municipality": "131041"})
    assert "131016\n131041" in back.content.decode()


def test_a_lead_accepting_a_change_offers_the_added_and_removes_the_removed_once(world: World) -> None:
    plan = planned(world)
    change = ChangeProposal.objects.create(
        team=world.team, plan=plan, add=[[world.pool[0].pk, False]], remove=[world.member.pk, world.lead.pk]
    )
    url = reverse("placements:change", args=[change.public_id])
    page = world.client("staff").get(url).content.decode()  # staff read it; only leads decide
    assert "調整 二郎" in page and "この変更を受け入れる" not in page
    lead = world.client("lead")
    assert "この変更を受け入れる" in lead.get(url).content.decode()
    lead.post(url, {"answer": "accept"})
    members = set(TeamMember.objects.filter(team=world.team).values_list("user_id", flat=True))
    assert members == {world.lead.pk}  # the member left; the team's last lead stays
    assert list(Offer.objects.filter(team=world.team).values_list("user_id", flat=True)) == [world.pool[0].pk]
    lead.post(url, {"answer": "decline"})  # decided once
    change.refresh_from_db()
    assert change.status == "accepted" and Offer.objects.filter(team=world.team).count() == 1
