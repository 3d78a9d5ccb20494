"""次の一歩 is in the main menu, and its list shows each plan's steps with their due dates and status."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.domain.framework import Framework
from bansou.plans.models import Plan, Status, Step

pytestmark = pytest.mark.django_db


def test_the_main_menu_leads_to_the_plans(owner_client: Client) -> None:
    html = owner_client.get(reverse("home")).content.decode()

    menu = html[html.index('aria-label="メインメニュー"') : html.index("</nav>")]
    assert f'<a href="{reverse("plans:list")}">次の一歩</a>' in menu


def test_the_menu_of_a_visitor_has_no_plans(client: Client) -> None:
    assert reverse("plans:list") not in client.get(reverse("home")).content.decode()


def test_the_list_shows_status_and_due_dates_of_each_plan(
    owner: User, owner_client: Client, submitted: Callable[..., Check], framework: Framework
) -> None:
    plan = Plan.objects.create(owner=owner, check_record=submitted(owner))
    first, second, third = list(framework.items())[:3]
    Step.objects.create(
        plan=plan,
        item_code=first.code,
        position=0,
        action="会議で試す",
        due_on=datetime.date(2027, 3, 31),
        status=Status.DOING,
    )
    Step.objects.create(
        plan=plan, item_code=second.code, position=1, due_on=datetime.date(2027, 1, 15), status=Status.DONE
    )
    Step.objects.create(plan=plan, item_code=third.code, position=2)

    html = owner_client.get(reverse("plans:list")).content.decode()

    assert "できた：1/3 項目・次の期日：2027年3月31日" in html  # the done step's date is not next
    assert f'<th scope="row">{first.mark}{first.name}</th>' in html
    assert (
        "<td>会議で試す</td>" in html and "<td>2027年3月31日</td>" in html and "<td>取り組み中</td>" in html
    )
    assert "<td>2027年1月15日</td>" in html and "<td>できた</td>" in html
    assert "<td>（未設定）</td>" in html and "<td>未着手</td>" in html
