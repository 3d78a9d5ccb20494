"""/elements/ and the blank sheet name the leaflet as their source (出典, verbatim from the framework
data), and /elements/ ends with a way to start a self-check: a signed-out visitor is sent to the
login page, which brings them back to that button."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from bansou.accounts.models import User
from bansou.checks.models import Draft
from bansou.domain.framework import Framework
from tests.reports.pdfcheck import assert_sound_pdf, pdf_of, squeeze

SOURCE = "リーフレット「伴走支援に必要な力 (エレメント)」"  # leaflet-2025.toml's [framework] source


def test_the_framework_names_its_source(framework: Framework) -> None:
    assert framework.source == SOURCE


def test_the_elements_page_and_the_blank_sheet_show_the_source(client: Client, framework: Framework) -> None:
    line = f'<p class="source">出典：{SOURCE}</p>'
    assert line in client.get(reverse("frameworks:leaflet")).content.decode()
    assert line in client.get(reverse("checks:blank_sheet")).content.decode()
    assert squeeze(f"出典：{SOURCE}") in squeeze(
        assert_sound_pdf(pdf_of(client, reverse("checks:blank_sheet_pdf")))
    )


def test_a_signed_out_visitor_starts_by_logging_in(client: Client, framework: Framework) -> None:
    html = client.get(reverse("frameworks:leaflet")).content.decode()
    page_end = html[html.index('id="start"') :]
    link = f'href="{reverse("accounts:login")}?next=%2Felements%2F%23start"'
    assert link in page_end and "ログインしてセルフチェックを始める" in page_end
    login = client.get(f"{reverse('accounts:login')}?next=/elements/%23start")
    assert login.status_code == 200 and 'value="/elements/#start"' in login.content.decode()


def test_a_signed_in_person_starts_from_the_end_of_the_page(
    owner_client: Client, owner: User, framework: Framework
) -> None:
    html = owner_client.get(reverse("frameworks:leaflet")).content.decode()
    page_end = html[html.index('id="start"') :]
    assert f'action="{reverse("checks:start")}"' in page_end and "セルフチェックを始める" in page_end
    started = owner_client.post(reverse("checks:start"))
    assert started.status_code == 302 and Draft.objects.filter(owner=owner).exists()
