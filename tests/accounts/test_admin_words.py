"""The admin site in Japanese for the administrators who use it: the index and every app's list
name no model in English (django-axes has no Japanese translation: bansou.accounts.apps.AxesConfig
names it), read with the browser tests' own check for English words; and the add forms of the
project's own models offer 「選択してください」, not Django's "---------"."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.test import Client

from bansou.accounts.models import User
from tests.browser.words import latin_words
from tests.conftest import sign_in_verified

pytestmark = pytest.mark.django_db


class _Text(HTMLParser):
    """The text a person reads: what is outside <script>/<style>, and titles and alt texts."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.parts += [v for k, v in attrs if k in ("title", "alt", "aria-label", "placeholder") and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def text_of(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def test_the_admin_index_and_app_lists_are_japanese(client: Client) -> None:
    sign_in_verified(
        client,
        User.objects.create_superuser(username="kanri", password="pass-word-1234", display_name="管理 太郎"),
    )
    labels = sorted({model._meta.app_label for model in admin.site._registry})
    assert "axes" in labels
    for url in ["/admin/", *[f"/admin/{label}/" for label in labels]]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert latin_words(text_of(response.content.decode()), ["kanri"]) == [], url
    for model in admin.site._registry:  # the project's own add forms: no Django "---------"
        if model._meta.app_label != "axes":
            url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"
            assert "---------" not in client.get(url).content.decode(), url
    index = text_of(client.get("/admin/").content.decode())
    assert "ログインの保護" in index and "ログイン失敗の回数" in index
