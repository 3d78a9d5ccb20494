"""提出する asks first: unanswered items go back to the sheet, named with their element; a complete
sheet gets a page that says a submitted check cannot be changed, whose button submits (once)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from bansou.checks.models import Check, Draft
from bansou.domain.framework import Framework
from tests.conftest import all_edits

pytestmark = pytest.mark.django_db


def sheet_url(draft: Draft) -> str:
    return reverse("checks:sheet", args=[draft.public_id])


def autosave(client: Client, draft: Draft, edits: list[dict[str, object]]) -> dict[str, object]:
    url = reverse("checks:autosave", args=[draft.public_id])
    response = client.post(url, json.dumps({"edits": edits}), content_type="application/json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def everything(framework: Framework) -> list[dict[str, object]]:
    return [
        {"item": e.item, "axis": e.axis.value, "value": e.value, "base_revision": 0}
        for e in all_edits(framework)
    ]


def test_submitting_nothing_lists_every_item_by_element_and_submits_nothing(
    owner_client: Client, owner_draft: Draft
) -> None:
    response = owner_client.post(sheet_url(owner_draft), {"action": "review"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "まだ回答していない項目があります" in html
    assert "未回答：<span data-missing-count>45</span> 項目（全 45 項目中）" in html
    # ① repeats in every element: each link says which element it is in.
    assert '<a href="#item-2-1">2 関係性を整え、チームを前に進める力：①チーム状況を見立てる力</a>' in html
    assert '<a href="#item-3-1">3 方向性を示し、人を巻き込む力：①' in html
    assert '<a href="#item-A-1">A 基礎知識・基礎スキル：伴走支援に関する基礎理解</a>' in html
    assert not Check.objects.exists()


def test_a_complete_sheet_asks_to_confirm_before_submitting(
    owner_client: Client, owner_draft: Draft, framework: Framework
) -> None:
    autosave(owner_client, owner_draft, everything(framework))

    response = owner_client.post(sheet_url(owner_draft), {"action": "review"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "提出の確認" in html
    assert "提出したチェックは変更できません（元に戻せません）。" in html
    assert "未回答の項目：0 項目（全 45 項目中）" in html
    assert 'name="action" value="submit"' in html
    assert not Check.objects.exists()  # nothing submitted yet

    confirmed = owner_client.post(sheet_url(owner_draft), {"action": "submit"})
    again = owner_client.post(sheet_url(owner_draft), {"action": "submit"})  # Back, and the button again

    check = Check.objects.get()
    assert confirmed["Location"] == again["Location"] == reverse("checks:result", args=[check.public_id])


def test_the_sheet_button_asks_for_the_review_not_the_submission(
    owner_client: Client, owner_draft: Draft
) -> None:
    html = owner_client.get(sheet_url(owner_draft)).content.decode()

    assert 'name="action" value="review" class="button button-primary">提出する</button>' in html
    assert 'value="submit"' not in html


def test_autosave_says_which_items_are_still_unanswered(
    owner_client: Client, owner_draft: Draft, framework: Framework
) -> None:
    body = autosave(owner_client, owner_draft, everything(framework)[:-1])
    assert body["missing"] == [framework.item_codes()[-1]]

    body = autosave(owner_client, owner_draft, everything(framework)[-1:])
    assert body["missing"] == []


def test_after_saving_without_script_the_list_is_gone_until_the_next_submit(
    owner_client: Client, owner_draft: Draft, framework: Framework
) -> None:
    owner_client.post(sheet_url(owner_draft), {"action": "review"})
    autosave(owner_client, owner_draft, everything(framework))

    assert "まだ回答していない項目があります" not in owner_client.get(sheet_url(owner_draft)).content.decode()
