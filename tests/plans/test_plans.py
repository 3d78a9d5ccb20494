"""次の一歩: from a result, choose focus items (suggested: 理解○ 実践×), write steps with a due date and a
status and a 振り返り; private to the owner; shown beside the items at the next check; no silent overwrite."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from bansou.accounts.models import User
from bansou.checks.access import Holder
from bansou.checks.models import Check
from bansou.checks.services import get_or_start_draft
from bansou.domain.framework import Axis, Framework
from bansou.frameworks.models import FrameworkVersion
from bansou.plans.models import Plan, Status, Step
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def understood_not_practised(codes: set[str]) -> Callable[[str, Axis], int]:
    """○ everywhere, except 実践 × on ``codes``: those are the 理解○ 実践× items."""
    return lambda code, axis: 0 if (axis is Axis.PRACTICE and code in codes) else 1


@pytest.fixture
def focus_codes(framework: Framework) -> list[str]:
    return [item.code for item in framework.items()][2:5]


@pytest.fixture
def check(owner: User, submitted: Callable[..., Check], focus_codes: list[str]) -> Check:
    return submitted(owner, understood_not_practised(set(focus_codes)))


def test_the_result_offers_a_plan_and_suggests_the_understood_but_not_practised(
    owner_client: Client, check: Check, focus_codes: list[str], framework: Framework
) -> None:
    result = owner_client.get(reverse("checks:result", args=[check.public_id])).content.decode()
    start = reverse("plans:start", args=[check.public_id])
    assert start in result
    html = owner_client.get(start).content.decode()
    assert framework.texts.caution in html  # 主役は市町村, pace
    assert html.count("（おすすめ）") == len(focus_codes)
    assert html.count("checked") == len(focus_codes)


def test_a_plan_is_written_saved_and_shown_beside_the_next_check(
    owner_client: Client, owner: User, check: Check, focus_codes: list[str], version: FrameworkVersion
) -> None:
    response = owner_client.post(reverse("plans:start", args=[check.public_id]), {"items": focus_codes[:2]})
    plan = Plan.objects.get(check_record=check)
    assert response["Location"] == reverse("plans:detail", args=[plan.public_id])
    first, second = focus_codes[:2]
    owner_client.post(
        reverse("plans:detail", args=[plan.public_id]),
        {
            "revision": "0",
            f"step-{first}-action": "次の会議で、住民の声を集める方法を一つ提案する",
            f"step-{first}-due_on": "2027-01-31",
            f"step-{first}-status": "doing",
            f"step-{second}-action": "",
            f"step-{second}-status": "not_started",
            "reflection": "まずは一つ。",
        },
    )
    step = Step.objects.get(plan=plan, item_code=first)
    assert (step.action, str(step.due_on), step.status) == (
        "次の会議で、住民の声を集める方法を一つ提案する",
        "2027-01-31",
        Status.DOING,
    )
    plan.refresh_from_db()
    assert (plan.reflection, plan.revision) == ("まずは一つ。", 1)

    draft = get_or_start_draft(holder=Holder(user_id=owner.pk), version=version)
    sheet = owner_client.get(reverse("checks:sheet", args=[draft.public_id])).content.decode()
    assert "次の会議で、住民の声を集める方法を一つ提案する" in sheet
    assert "状況：取り組み中・2027年1月31日まで" in sheet
    assert sheet.count('class="plan-note"') == 3  # the notice above the sheet, and the two items


def test_a_second_click_makes_no_second_plan(
    owner_client: Client, check: Check, focus_codes: list[str]
) -> None:
    for _ in range(2):
        owner_client.post(reverse("plans:start", args=[check.public_id]), {"items": focus_codes[:1]})
    assert Plan.objects.count() == 1


def test_a_few_items_only(owner_client: Client, check: Check, framework: Framework) -> None:
    codes = [item.code for item in framework.items()][:6]
    response = owner_client.post(reverse("plans:start", args=[check.public_id]), {"items": codes})
    assert response.status_code == 400
    assert "選べるのは5項目までです。" in response.content.decode()
    assert not Plan.objects.exists()


def test_a_save_from_a_stale_page_overwrites_nothing(
    owner_client: Client, check: Check, focus_codes: list[str]
) -> None:
    owner_client.post(reverse("plans:start", args=[check.public_id]), {"items": focus_codes[:1]})
    plan = Plan.objects.get()
    code = focus_codes[0]
    url = reverse("plans:detail", args=[plan.public_id])
    base = {f"step-{code}-status": "doing", "reflection": ""}
    owner_client.post(url, {**base, "revision": "0", f"step-{code}-action": "タブAで書いた"})
    response = owner_client.post(url, {**base, "revision": "0", f"step-{code}-action": "タブBで書いた"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "別の画面で先に保存されていたため、保存していません" in html
    assert "タブBで書いた" in html  # what was typed is kept on the page
    assert Step.objects.get().action == "タブAで書いた"
    assert 'name="revision" value="1"' in html  # the next save goes against the latest


def test_a_save_after_the_items_changed_elsewhere_is_a_conflict_not_an_error(
    owner_client: Client, check: Check, focus_codes: list[str]
) -> None:
    owner_client.post(reverse("plans:start", args=[check.public_id]), {"items": focus_codes[:1]})
    plan = Plan.objects.get()
    owner_client.post(
        reverse("plans:choose", args=[plan.public_id]), {"items": focus_codes[:2], "revision": "0"}
    )
    code = focus_codes[0]
    response = owner_client.post(
        reverse("plans:detail", args=[plan.public_id]),
        {"revision": "0", f"step-{code}-action": "古い画面で書いた", f"step-{code}-status": "doing"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "古い画面で書いた" in html and "field-errors" not in html
    assert Step.objects.filter(plan=plan).count() == 2
    assert not Step.objects.filter(action="古い画面で書いた").exists()


def test_choosing_again_keeps_what_was_written(
    owner_client: Client, check: Check, focus_codes: list[str]
) -> None:
    owner_client.post(reverse("plans:start", args=[check.public_id]), {"items": focus_codes[:2]})
    plan = Plan.objects.get()
    Step.objects.filter(item_code=focus_codes[0]).update(action="続ける")
    owner_client.post(
        reverse("plans:choose", args=[plan.public_id]),
        {"items": [focus_codes[0], focus_codes[2]], "revision": "0"},
    )
    assert sorted(Step.objects.values_list("item_code", flat=True)) == sorted(
        [focus_codes[0], focus_codes[2]]
    )
    assert Step.objects.get(item_code=focus_codes[0]).action == "続ける"


@pytest.mark.parametrize("persona", ["other", "anonymous"])
def test_plans_are_private(persona: str, check: Check, focus_codes: list[str], owner_client: Client) -> None:
    owner_client.post(reverse("plans:start", args=[check.public_id]), {"items": focus_codes[:1]})
    plan = Plan.objects.get()
    client = Client()
    if persona == "other":
        client.force_login(make_user("other", "他人 太郎"))
    urls = [
        reverse("plans:detail", args=[plan.public_id]),
        reverse("plans:choose", args=[plan.public_id]),
        reverse("plans:start", args=[check.public_id]),
    ]
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"revision": "0", "items": focus_codes[:1]})
            if persona == "anonymous":
                assert response.status_code == 302 and response["Location"].startswith(
                    reverse("accounts:login")
                )
            else:
                assert response.status_code == 404, (url, method)
    assert Step.objects.get().action == ""
    if persona == "other":
        assert str(plan.public_id) not in client.get(reverse("plans:list")).content.decode()


# Sharing with a team ----------------------------------------------------------------------------------


def test_a_plan_shared_with_a_team_is_read_by_its_members_only(
    owner_client: Client, owner: User, check: Check, focus_codes: list[str], municipalities: object
) -> None:
    from bansou.orgs.services import create_organisation
    from bansou.places.models import Municipality
    from bansou.sharing.models import PlanShare
    from bansou.teams import services as teams
    from bansou.teams.models import TeamMember

    staff = make_user("staff", "県庁 四郎")
    org = create_organisation(user=staff, name="東京都 福祉局", kind="prefecture", prefecture_id="13")
    mate = make_user("mate", "仲間 二郎")
    outsider_team_lead = make_user("outsider", "別班 三子")
    chiyoda, chuo = Municipality.objects.get(lgcode="131016"), Municipality.objects.get(lgcode="131024")
    team = teams.create_team(user=owner, municipality=chiyoda, fiscal_year=2026, organisation=org)
    TeamMember.objects.create(team=team, user=mate, roles=["advisor"])
    other_team = teams.create_team(user=outsider_team_lead, municipality=chuo, fiscal_year=2026)

    owner_client.post(reverse("plans:start", args=[check.public_id]), {"items": focus_codes[:1]})
    plan = Plan.objects.get()
    Step.objects.update(action="地域ケア会議で提案する")
    team_url = reverse("teams:detail", args=[team.public_id])

    def sees(user: User) -> bool:
        client = Client()
        client.force_login(user)
        return "地域ケア会議で提案する" in client.get(team_url).content.decode()

    assert not sees(mate)  # private until shared
    # A team the owner is not in cannot be chosen: the whole form is refused.
    owner_client.post(reverse("plans:share", args=[plan.public_id]), {"teams": [team.pk, other_team.pk]})
    assert not PlanShare.objects.exists()
    owner_client.post(reverse("plans:share", args=[plan.public_id]), {"teams": [team.pk]})
    assert list(PlanShare.objects.values_list("team_id", flat=True)) == [team.pk]
    assert sees(mate) and sees(owner)
    assert not sees(staff)  # the organisation's staff see verdicts, not members' plans
    plan.refresh_from_db()
    Plan.objects.filter(pk=plan.pk).update(reflection="ひそかな振り返り")
    client = Client()
    client.force_login(mate)
    assert "ひそかな振り返り" not in client.get(team_url).content.decode()

    owner_client.post(reverse("plans:share", args=[plan.public_id]), {})  # withdraw
    assert not sees(mate)
    owner_client.post(reverse("plans:share", args=[plan.public_id]), {"teams": [team.pk]})
    assert sees(mate)
    # Leaving the team takes the owner's shares with it.
    TeamMember.objects.filter(team=team, user=mate).update(is_lead=True)
    teams.leave(member=TeamMember.objects.get(team=team, user=owner))
    assert not PlanShare.objects.exists()
