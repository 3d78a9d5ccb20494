"""Every page: Japanese, self-hosted, under `default-src 'self'`; production settings pass --deploy."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from bansou.accounts.models import User
from bansou.checks.access import Holder
from bansou.checks.models import Check
from bansou.checks.services import get_or_start_draft
from bansou.domain.framework import Framework
from bansou.frameworks.models import FrameworkVersion

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
CSP = {
    "default-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
}


@pytest.fixture
def pages(
    owner_client: Client, owner: User, version: FrameworkVersion, submitted: Callable[..., Check]
) -> list[tuple[Client, str]]:
    anonymous = Client()
    check = submitted(owner)
    owner_draft = get_or_start_draft(holder=Holder(user_id=owner.pk), version=version)
    return [
        (owner_client, reverse("checks:result", args=[check.public_id])),
        (owner_client, reverse("checks:history")),
        (anonymous, reverse("home")),
        (anonymous, reverse("frameworks:leaflet")),
        (anonymous, reverse("places:municipalities")),
        (anonymous, reverse("accounts:login")),
        (anonymous, reverse("accounts:signup")),
        (anonymous, reverse("accounts:logged_out")),
        (anonymous, reverse("checks:history")),
        (owner_client, reverse("home")),
        (owner_client, reverse("accounts:profile")),
        (owner_client, reverse("checks:sheet", args=[owner_draft.public_id])),
        (anonymous, "/no-such-page/"),
    ]


def test_every_page_is_japanese_and_allows_only_its_own_origin(pages: list[tuple[Client, str]]) -> None:
    for client, url in pages:
        response = client.get(url)
        html = response.content.decode()
        assert {d.strip() for d in response["Content-Security-Policy"].split(";")} == CSP, url
        assert '<html lang="ja">' in html, url
        assert not re.search(r"""(src|href|action)=["']?(https?:)?//""", html), url
        assert "style=" not in html, url  # inline styles would be refused by the policy
        assert not re.search(r"<script(?![^>]*\b(src=|type=\"application/json\"))", html), (
            url
        )  # no inline code


def test_unknown_pages_answer_404_in_japanese() -> None:
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_the_framework_page_presents_the_leaflet(framework: Framework) -> None:
    html = Client().get(reverse("frameworks:leaflet")).content.decode()

    for line in (*framework.texts.about, *framework.texts.usage, framework.texts.caution):
        assert line in html
    for competency in framework.competencies:
        assert competency.label in html
    for element in framework.elements:
        assert element.name in html
    for item in framework.items():
        assert item.name in html and item.description in html
    assert "次の一歩" in html


def test_production_settings_pass_the_deploy_check() -> None:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a deployment check.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "BANSOU_MODE": "production",
        "SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "bansou.example.lg.jp",
        "TRUSTED_PROXIES": "10.0.0.0/8",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"BANSOU_MODE": "production", "DJANGO_SETTINGS_MODULE": "config.settings"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_static_assets_reference_nothing_outside() -> None:
    for path in (ROOT / "bansou").rglob("static/**/*"):
        if path.suffix in {".css", ".js", ".svg"}:
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), path
            assert not re.search(r"""fetch\(\s*["']https?:""", text), path


def test_favicon_ico_points_at_the_served_icon() -> None:
    response = Client().get("/favicon.ico")

    icon = Client().get(response["Location"])
    icon.close()
    assert response.status_code == 301
    assert icon.status_code == 200


@pytest.mark.django_db
def test_the_addresses_of_pages_that_moved_lead_to_them(client: Client) -> None:
    """Pages that moved to the app that owns them keep their old addresses as permanent redirects."""
    some = "00000000-0000-0000-0000-000000000001"
    moved = {
        f"/orgs/{some}/pool/?elements=4": reverse("teams:org_pool", args=[some]) + "?elements=4",
        f"/orgs/{some}/overview/": reverse("cohorts:org_overview", args=[some]),
        f"/reports/checks/{some}.xlsx": reverse("checks:answers_xlsx", args=[some]),
        f"/reports/checks/{some}.csv": reverse("checks:answers_csv", args=[some]),
        "/reports/blank-sheet.xlsx": reverse("checks:blank_xlsx"),
        "/reports/me.json": reverse("accounts:my_json"),
        "/reports/me.xlsx": reverse("accounts:my_xlsx"),
    }
    for old, new in moved.items():
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
