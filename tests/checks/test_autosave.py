"""The autosave endpoint: per-cell saves, stale tabs refused, progress, expired sessions."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from bansou.checks.models import Draft, DraftCell

pytestmark = pytest.mark.django_db


def post_edits(client: Client, draft: Draft, *edits: dict[str, object]) -> tuple[int, dict[str, object]]:
    response = client.post(
        reverse("checks:autosave", args=[draft.public_id]),
        data=json.dumps({"edits": list(edits)}),
        content_type="application/json",
    )
    return response.status_code, response.json()


def edit(item: str, axis: str, value: int | None, base: int) -> dict[str, object]:
    return {"item": item, "axis": axis, "value": value, "base_revision": base}


def cell(draft: Draft, item: str, axis: str) -> DraftCell:
    return DraftCell.objects.get(draft=draft, item_code=item, axis=axis)


def test_saves_an_answer_and_raises_its_revision(owner_client: Client, owner_draft: Draft) -> None:
    status, body = post_edits(owner_client, owner_draft, edit("2-1", "understanding", 1, 0))

    assert status == 200
    assert body["results"] == [
        {"item": "2-1", "axis": "understanding", "outcome": "saved", "value": 1, "revision": 1}
    ]
    saved = cell(owner_draft, "2-1", "understanding")
    assert (saved.value, saved.revision) == (1, 1)


def test_reports_progress_per_sheet_counting_items_answered_on_both_axes(
    owner_client: Client, owner_draft: Draft
) -> None:
    _, body = post_edits(
        owner_client,
        owner_draft,
        edit("2-1", "understanding", 1, 0),
        edit("2-1", "practice", 0, 0),
        edit("2-2", "understanding", 1, 0),
    )

    assert body["progress"] == [
        {"sheet": "checklist", "answered": 1, "total": 29},
        {"sheet": "labels", "answered": 0, "total": 16},
    ]


def test_refuses_a_stale_tab_and_keeps_the_newer_answer(owner_client: Client, owner_draft: Draft) -> None:
    # Tab A and tab B both opened the sheet at revision 0. A answers first.
    post_edits(owner_client, owner_draft, edit("3-1", "practice", 1, 0))

    status, body = post_edits(owner_client, owner_draft, edit("3-1", "practice", 0, 0))

    assert status == 200
    assert body["results"][0] == {
        "item": "3-1",
        "axis": "practice",
        "outcome": "conflict",
        "value": 1,
        "revision": 1,
    }
    assert cell(owner_draft, "3-1", "practice").value == 1


def test_accepts_a_change_made_on_the_latest_revision(owner_client: Client, owner_draft: Draft) -> None:
    post_edits(owner_client, owner_draft, edit("3-1", "practice", 1, 0))

    _, body = post_edits(owner_client, owner_draft, edit("3-1", "practice", 0, 1))

    assert body["results"][0]["outcome"] == "saved"
    assert cell(owner_draft, "3-1", "practice").value == 0


def test_a_stale_tab_choosing_the_same_answer_is_not_a_conflict(
    owner_client: Client, owner_draft: Draft
) -> None:
    post_edits(owner_client, owner_draft, edit("3-1", "practice", 1, 0))

    _, body = post_edits(owner_client, owner_draft, edit("3-1", "practice", 1, 0))

    assert body["results"][0]["outcome"] == "unchanged"
    assert cell(owner_draft, "3-1", "practice").revision == 1


def test_edits_to_other_cells_from_a_stale_tab_are_saved(owner_client: Client, owner_draft: Draft) -> None:
    post_edits(owner_client, owner_draft, edit("3-1", "practice", 1, 0))

    _, body = post_edits(
        owner_client, owner_draft, edit("3-1", "practice", 0, 0), edit("3-2", "practice", 0, 0)
    )

    assert [r["outcome"] for r in body["results"]] == ["conflict", "saved"]


@pytest.mark.parametrize(
    "bad",
    [
        edit("no-such-item", "practice", 1, 0),
        edit("2-1", "practice", 7, 0),
    ],
)
def test_refuses_edits_off_the_framework(
    owner_client: Client, owner_draft: Draft, bad: dict[str, object]
) -> None:
    _, body = post_edits(owner_client, owner_draft, bad)

    assert body["results"][0]["outcome"] == "invalid"
    assert not DraftCell.objects.filter(draft=owner_draft, revision__gt=0).exists()


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[]",
        b'{"edits": []}',
        b'{"edits": [{"item": "2-1", "axis": "sideways", "value": 1, "base_revision": 0}]}',
        b'{"edits": [{"item": "2-1", "axis": "practice", "value": "1", "base_revision": 0}]}',
        b'{"edits": [{"item": "2-1", "axis": "practice", "value": true, "base_revision": 0}]}',
        b"\xff\xfe",
    ],
)
def test_answers_400_to_malformed_requests(owner_client: Client, owner_draft: Draft, payload: bytes) -> None:
    response = owner_client.post(
        reverse("checks:autosave", args=[owner_draft.public_id]),
        data=payload,
        content_type="application/json",
    )

    assert response.status_code == 400


def test_tells_a_logged_out_page_to_log_in_again_without_saving(owner_draft: Draft) -> None:
    status, body = post_edits(Client(), owner_draft, edit("2-1", "understanding", 1, 0))

    assert status == 403
    assert body["error"] == "login"
    assert cell(owner_draft, "2-1", "understanding").revision == 0


def test_points_to_the_result_once_the_draft_was_submitted(
    owner_client: Client, owner_draft: Draft, framework: object
) -> None:
    from tests.conftest import all_edits

    post_edits(
        owner_client,
        owner_draft,
        *[edit(e.item, e.axis.value, e.value, 0) for e in all_edits(framework)],  # type: ignore[arg-type]
    )
    owner_client.post(reverse("checks:sheet", args=[owner_draft.public_id]), {"action": "submit"})

    status, body = post_edits(owner_client, owner_draft, edit("2-1", "understanding", 0, 1))

    assert status == 409
    assert body["error"] == "submitted"


def test_a_save_arriving_after_the_draft_was_submitted_is_not_reported_as_saved(
    owner: object, owner_draft: Draft, framework: object
) -> None:
    from bansou.checks.access import Holder
    from bansou.checks.services import DraftGone, save_cells, submit_draft
    from bansou.domain.drafts import Edit
    from bansou.domain.framework import Axis
    from tests.conftest import all_edits

    save_cells(draft=owner_draft, edits=all_edits(framework))  # type: ignore[arg-type]
    submit_draft(draft=owner_draft, holder=Holder(user_id=owner.pk))  # type: ignore[attr-defined]

    with pytest.raises(DraftGone):
        save_cells(draft=owner_draft, edits=[Edit("2-1", Axis.PRACTICE, 0, 1)])


def test_autosave_to_a_draft_that_is_gone_says_so(owner_client: Client, owner_draft: Draft) -> None:
    owner_draft.delete()

    status, body = post_edits(owner_client, owner_draft, edit("2-1", "understanding", 1, 0))

    assert (status, body) == (404, {"error": "gone"})
