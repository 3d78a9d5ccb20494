"""Leaving an organisation, or removing someone from it, first says what happens (issue 13: 「取り消せない
操作は、それとわかる見た目に」): the organisation page links to a page that names the consequences, and
only its danger button does it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from bansou.orgs.models import Membership
from bansou.orgs.services import create_organisation
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_leaving_goes_through_a_page_that_says_what_happens() -> None:
    admin = make_user("orgadmin", "組織 管理子")
    org = create_organisation(user=admin, name="東京都 福祉局", kind="prefecture", prefecture_id=None)
    supporter = make_user("supporter", "支援 花子")
    membership = Membership.objects.create(organisation=org, user=supporter, role=Membership.Role.SUPPORTER)
    url = reverse("orgs:remove", args=[org.public_id, membership.pk])

    client = Client()
    client.force_login(supporter)
    detail = client.get(reverse("orgs:detail", args=[org.public_id])).content.decode()
    assert f'href="{url}"' in detail  # a link to the page, not a button that leaves at once

    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "人材プールへの登録と、この組織に共有していたチェックの共有は取り消され" in html
    assert "組織から抜ける（元に戻せません）" in html and "button-danger" in html
    assert Membership.objects.filter(pk=membership.pk).exists()  # the page changes nothing

    assert client.post(url).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_an_administrator_removing_someone_is_told_whom() -> None:
    admin = make_user("orgadmin", "組織 管理子")
    org = create_organisation(user=admin, name="東京都 福祉局", kind="prefecture", prefecture_id=None)
    supporter = make_user("supporter", "支援 花子")
    membership = Membership.objects.create(organisation=org, user=supporter, role=Membership.Role.SUPPORTER)
    client = Client()
    client.force_login(admin)
    html = client.get(reverse("orgs:remove", args=[org.public_id, membership.pk])).content.decode()
    assert "支援 花子 さんを「東京都 福祉局」から外します。" in html
    assert "支援 花子 さんを外す（元に戻せません）" in html
    own = Membership.objects.get(organisation=org, user=admin)
    response = client.get(reverse("orgs:remove", args=[org.public_id, own.pk]))
    assert response.status_code == 302  # the only administrator may not leave: sent back, told why
