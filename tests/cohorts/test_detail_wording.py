"""The 研修 page: 全員提出済み instead of an empty list, the join link with a copy button, and
締め切る as what it is (a confirmation page and a button that says it cannot be undone)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bansou.cohorts.models import Phase
from tests.cohorts.conftest import World

pytestmark = pytest.mark.django_db


def test_when_everyone_has_handed_in_the_page_says_so(world: World) -> None:
    html = (
        world.client("organiser")
        .get(reverse("cohorts:detail", args=[world.cohort.public_id]))
        .content.decode()
    )

    assert "事前チェック：全員提出済み" in html  # the only participant handed in a pre-check
    assert 'id="missing-pre"' not in html
    assert 'id="missing-post"' in html and "研修 一子" in html  # the post-check is not in yet
    assert "事後チェック：全員提出済み" not in html


def test_a_new_join_link_is_labelled_readonly_text_with_a_copy_button(world: World) -> None:
    page = world.client("organiser").post(
        reverse("cohorts:new_code", args=[world.cohort.public_id]), follow=True
    )
    html = page.content.decode()

    assert '<label class="field-label" for="join-link">参加用のリンク</label>' in html
    assert '<input type="text" id="join-link" readonly value="http://testserver/cohorts/join/' in html
    assert 'data-copy="join-link"' in html and ">リンクをコピーする</button>" in html
    assert 'id="join-link-status" aria-live="polite"' in html
    assert "bansou/site.js" in html  # shows the button (hidden without script)


def test_closing_a_phase_is_confirmed_on_a_page_that_says_it_cannot_be_undone(world: World) -> None:
    url = reverse("cohorts:close", args=[world.cohort.public_id, Phase.PRE])
    html = world.client("organiser").get(url).content.decode()

    assert "締め切りは取り消せません" in html
    mark = '<span class="danger-mark" aria-hidden="true">⚠</span> '
    assert f'class="button button-danger">{mark}締め切る（元に戻せません）' in html
    assert "締め切らずに戻る" in html
