"""Home and history speak of a draft in progress as it is: nothing answered yet, or how far it goes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from bansou.checks.models import Draft
from bansou.checks.services import save_cells
from bansou.domain.drafts import Edit
from bansou.domain.framework import Axis

pytestmark = pytest.mark.django_db


def test_home_offers_to_begin_a_draft_with_no_answers(owner_client: Client, owner_draft: Draft) -> None:
    html = owner_client.get(reverse("home")).content.decode()

    assert ">回答を始める</button>" in html
    assert "始めたチェックがあります。まだ回答はありません。" in html
    assert "まで回答した内容から再開" not in html


def test_home_offers_to_go_on_with_a_draft_with_answers(owner_client: Client, owner_draft: Draft) -> None:
    save_cells(draft=owner_draft, edits=[Edit("2-1", Axis.UNDERSTANDING, 1, 0)])

    html = owner_client.get(reverse("home")).content.decode()

    assert ">続きから</button>" in html
    assert "まで回答した内容から再開します。" in html


def test_history_mentions_the_draft_in_progress_with_a_link_to_resume(
    owner_client: Client, owner_draft: Draft
) -> None:
    save_cells(
        draft=owner_draft, edits=[Edit("2-1", Axis.UNDERSTANDING, 1, 0), Edit("2-1", Axis.PRACTICE, 0, 0)]
    )

    html = owner_client.get(reverse("checks:history")).content.decode()

    assert "回答中のチェック" in html
    assert "まだ提出していないチェックがあります（1/45 項目に回答済み、最終保存 " in html
    assert (
        f'<a href="{reverse("checks:sheet", args=[owner_draft.public_id])}">回答中のチェックを続ける</a>'
        in html
    )


def test_history_without_a_draft_says_nothing_of_one(owner_client: Client) -> None:
    assert "回答中のチェック" not in owner_client.get(reverse("checks:history")).content.decode()
