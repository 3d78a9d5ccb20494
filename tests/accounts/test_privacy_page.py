"""The privacy page (個人情報の取扱い): public, in Japanese, linked from every page's footer and from
the sign-up page, which says the purpose of use (利用目的); its periods are the settings applied by
``apply_retention``."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.test_admin_words import text_of
from tests.browser.words import latin_words

pytestmark = pytest.mark.django_db


def test_the_privacy_page_is_public_and_japanese() -> None:
    response = Client().get(reverse("privacy"))
    assert response.status_code == 200
    text = text_of(response.content.decode())
    for heading in ("利用目的", "保存する情報", "誰が何を見られるか", "保存期間", "書き出し", "削除"):
        assert heading in text
    assert "5人以上の匿名の集計" in text and "サーバーには保存しません" in text
    assert latin_words(text) == []


def test_the_periods_are_the_settings(settings: object) -> None:
    settings.DRAFT_RETENTION_DAYS = 200  # type: ignore[attr-defined]
    settings.ACCESS_LOG_RETENTION_DAYS = 730  # type: ignore[attr-defined]
    text = text_of(Client().get(reverse("privacy")).content.decode())
    assert "最後に保存してから200日" in text and "730日" in text and "14日" in text


def test_the_sign_up_page_says_the_purpose_of_use_and_links_the_page() -> None:
    html = Client().get(reverse("accounts:signup")).content.decode()
    assert "個人情報の利用目的" in html
    assert f'href="{reverse("privacy")}"' in html
    assert latin_words(text_of(html)) == []


@pytest.mark.parametrize("name", ["home", "frameworks:leaflet", "accounts:login"])
def test_every_page_links_it_in_the_footer(name: str) -> None:
    html = Client().get(reverse(name)).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert f'href="{reverse("privacy")}"' in footer
