"""次の一歩 from a closed request's comparison: a plan made by plans' service from the check the request
was compared with, the largest-difference items pre-chosen; a check that has a plan keeps it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.domain.framework import Framework
from bansou.frameworks.models import FrameworkVersion
from bansou.plans import services as plans
from bansou.plans.models import Plan, Step
from tests.conftest import make_user
from tests.feedback.closed import closed_request, codes_of

pytestmark = pytest.mark.django_db


def steps_of(plan: Plan) -> list[str]:
    return list(Step.objects.filter(plan=plan).order_by("position").values_list("item_code", flat=True))


def names(framework: Framework, codes: list[str]) -> list[str]:
    by_code = {i.code: i for i in framework.items()}
    return [by_code[c].name for c in codes]


def test_a_plan_is_started_from_the_comparison_with_the_largest_differences(
    owner: User,
    owner_client: Client,
    version: FrameworkVersion,
    framework: Framework,
    submitted: Callable[..., Check],
) -> None:
    check = submitted(owner)
    asked = closed_request(owner, version, framework, check)
    expected = codes_of(framework)[:3]
    page = owner_client.get(reverse("feedback:detail", args=[asked.public_id])).content.decode()
    assert "この項目で「次の一歩」の計画を作る" in page
    assert all(name in page for name in names(framework, expected))

    response = owner_client.post(reverse("feedback:next_step", args=[asked.public_id]))

    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "plans:detail", args=[plan.public_id]
    )
    assert plan.check_record == check and plan.owner == owner
    assert steps_of(plan) == expected
    assert len(expected) <= plans.MAX_STEPS


def test_a_second_post_changes_nothing_and_the_page_then_links_to_the_plan(
    owner: User,
    owner_client: Client,
    version: FrameworkVersion,
    framework: Framework,
    submitted: Callable[..., Check],
) -> None:
    check = submitted(owner)
    asked = closed_request(owner, version, framework, check)
    url = reverse("feedback:next_step", args=[asked.public_id])
    owner_client.post(url)
    plan = Plan.objects.get()
    mine = [i.code for i in framework.items()][:2]  # the supporter chose other items since
    plans.choose_items(plan=plan, revision=plan.revision, item_codes=mine)
    Step.objects.filter(plan=plan).update(action="会議で提案する")

    again = owner_client.post(url)

    assert again.status_code == 302 and again["Location"] == reverse("plans:detail", args=[plan.public_id])
    assert Plan.objects.count() == 1 and steps_of(plan) == mine
    assert set(Step.objects.values_list("action", flat=True)) == {"会議で提案する"}
    page = owner_client.get(reverse("feedback:detail", args=[asked.public_id])).content.decode()
    assert "すでに「次の一歩」の計画があります" in page
    assert reverse("plans:detail", args=[plan.public_id]) in page
    assert all(name in page for name in names(framework, codes_of(framework)[:3]))
    assert "この項目で「次の一歩」の計画を作る" not in page


def test_a_plan_made_from_the_result_is_kept_and_its_suggested_items_marked(
    owner: User,
    owner_client: Client,
    version: FrameworkVersion,
    framework: Framework,
    submitted: Callable[..., Check],
) -> None:
    check = submitted(owner)
    first = codes_of(framework)[0]
    plan = plans.start_plan(owner=owner, check=check, item_codes=[first])
    asked = closed_request(owner, version, framework, check)

    page = owner_client.get(reverse("feedback:detail", args=[asked.public_id])).content.decode()
    owner_client.post(reverse("feedback:next_step", args=[asked.public_id]))

    assert page.count("計画に入っています") == 1
    assert steps_of(plan) == [first]


def test_without_the_check_or_a_difference_the_page_says_so(
    owner: User,
    owner_client: Client,
    version: FrameworkVersion,
    framework: Framework,
    submitted: Callable[..., Check],
) -> None:
    gone = closed_request(owner, version, framework, None)
    page = owner_client.get(reverse("feedback:detail", args=[gone.public_id])).content.decode()
    assert "セルフチェックが見つからない" in page
    assert owner_client.post(reverse("feedback:next_step", args=[gone.public_id])).status_code == 404

    same = closed_request(owner, version, framework, submitted(owner), differs=False)
    page = owner_client.get(reverse("feedback:detail", args=[same.public_id])).content.decode()
    assert "違いのある項目はありませんでした" in page
    assert owner_client.post(reverse("feedback:next_step", args=[same.public_id])).status_code == 404
    assert not Plan.objects.exists()


def test_someone_else_cannot_start_a_plan_from_a_request(
    owner: User, version: FrameworkVersion, framework: Framework, submitted: Callable[..., Check]
) -> None:
    asked = closed_request(owner, version, framework, submitted(owner))
    other = Client()
    other.force_login(make_user("other", "他人 一郎"))

    assert other.post(reverse("feedback:next_step", args=[asked.public_id])).status_code == 404
    assert not Plan.objects.exists()
