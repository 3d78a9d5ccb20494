"""Issue 13, journey 5: starting a 研修 without an organisation, and the organisation chosen by default."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from bansou.accounts.models import User
from bansou.orgs.models import Membership
from bansou.orgs.services import create_organisation
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
CREATE = reverse("cohorts:create")


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_without_an_organisation_the_page_says_who_runs_a_cohort_and_links_to_registering(
    settings: Settings,
) -> None:
    settings.ORG_REGISTRATION = "anyone"
    client = client_of(make_user("newcomer", "新任 一子"))

    response = client.get(CREATE)

    html = unescape(response.content.decode())
    assert response.status_code == 403
    assert "研修は、組織（都道府県の担当課や支援機関など）が運営します。" in html
    register = f"{reverse('orgs:create')}?next=/cohorts/new/"
    assert f'href="{register}">組織を登録する</a>' in html.replace('class="button button-primary" ', "")

    created = client.post(register, {"name": "〇〇県 長寿社会課", "kind": "prefecture"})
    assert created.status_code == 302 and created["Location"] == CREATE
    page = client.get(CREATE).content.decode()
    assert '<option value="' in page and "selected>〇〇県 長寿社会課</option>" in page


def test_when_only_administrators_register_the_page_says_whom_to_ask(settings: Settings) -> None:
    settings.ORG_REGISTRATION = "admins"
    html = client_of(make_user("newcomer", "新任 一子")).get(CREATE).content.decode()

    assert "システムの管理者に依頼してください" in html
    assert reverse("orgs:create") not in html


def test_an_outside_next_is_not_followed_after_registering(settings: Settings) -> None:
    settings.ORG_REGISTRATION = "anyone"
    client = client_of(make_user("newcomer", "新任 一子"))

    created = client.post(
        reverse("orgs:create") + "?next=https://example.com/", {"name": "支援機構", "kind": "prefecture"}
    )

    assert created["Location"].startswith("/orgs/")


def test_the_team_form_takes_the_one_organisation_the_person_works_for(municipalities: object) -> None:
    staff = make_user("staff", "県庁 四郎")
    org = create_organisation(user=staff, name="東京都 福祉局", kind="prefecture", prefecture_id="13")
    other = create_organisation(
        user=make_user("x", "他県 五郎"), name="大阪府 福祉部", kind="prefecture", prefecture_id="27"
    )
    Membership.objects.create(organisation=other, user=staff, role=Membership.Role.SUPPORTER)

    html = client_of(staff).get(reverse("teams:create")).content.decode()

    assert f'<option value="{org.pk}" selected>東京都 福祉局</option>' in html
    assert f'<option value="{other.pk}">大阪府 福祉部</option>' in html
