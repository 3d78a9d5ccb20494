"""Feedback in the supporter's data: my data holds the request, and after close what the page shows
(the comparison, the comments), never one rater's marks from a link, only the paper answers the
supporter typed in themselves; deleting the account takes the requests, answers, comments and links."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from bansou.accounts.deletion import delete_account
from bansou.accounts.models import User
from bansou.accounts.mydata import collect, workbook
from bansou.feedback.models import Answer, Comment, FeedbackRequest
from bansou.invitations.models import Invitation, Kind
from tests.feedback.test_feedback_flow import answer, make_request

pytestmark = pytest.mark.django_db

LINK_COMMENT = "リンクからのコメント"
PAPER_COMMENT = "紙に書かれたコメント"


def with_answers(client: Client) -> FeedbackRequest:
    """Three raters by their links (all まだ感じない), one paper answer typed in (all できていると感じる)."""
    made, codes = make_request(client)
    for code in codes[:3]:
        answer(code, mark="not_yet", comment=LINK_COMMENT)
    marks = {f"mark_{c}": "seen" for c in made.items}
    paper = {"group": "other", **marks, f"comment_{made.items[0]}": PAPER_COMMENT}
    assert client.post(reverse("feedback:paper", args=[made.public_id]), paper).status_code == 302
    return made


def test_before_close_my_data_has_the_request_and_no_comment(supporter: tuple[User, Client]) -> None:
    user, client = supporter
    made = with_answers(client)
    (exported,) = collect(user)["feedback_requests"]
    assert exported["message"] == "率直に教えてください" and exported["items"] == made.items
    assert exported["closed_at"] is None and exported["comparison"] is None
    assert exported["comments"] == []
    text = json.dumps(exported, ensure_ascii=False)
    assert LINK_COMMENT not in text and "not_yet" not in text  # nothing a rater answered by a link
    assert exported["typed_in_answers"] == [
        {
            "group": "other",
            "marks": dict.fromkeys(made.items, "seen"),
            "comments": {made.items[0]: PAPER_COMMENT},
        }
    ]


def test_after_close_my_data_has_the_comparison_and_comments_but_no_raters_marks(
    supporter: tuple[User, Client],
) -> None:
    user, client = supporter
    made = with_answers(client)
    client.post(reverse("feedback:close", args=[made.public_id]))
    made.refresh_from_db()
    assert made.comparison["shown"]
    data = collect(user)
    (exported,) = data["feedback_requests"]
    assert exported["comparison"] == made.comparison  # the totals kept at close, as the page shows them
    assert sorted(c["text"] for c in exported["comments"]) == sorted([LINK_COMMENT] * 3 + [PAPER_COMMENT])
    text = json.dumps(exported, ensure_ascii=False)
    assert "not_yet" not in text  # the link answers' marks are in no row of their own
    assert len(exported["typed_in_answers"]) == 1
    workbook(user, data)  # the xlsx of my data is made from the same values
    response = client.get(reverse("accounts:my_data"))
    assert response.status_code == 200


def test_nothing_shown_at_close_means_no_comparison_and_no_comment_in_my_data(
    supporter: tuple[User, Client],
) -> None:
    user, client = supporter
    made, codes = make_request(client)
    answer(codes[0], comment=LINK_COMMENT)
    client.post(reverse("feedback:close", args=[made.public_id]))
    (exported,) = collect(user)["feedback_requests"]
    assert exported["closed_at"] and exported["comparison"] is None and exported["comments"] == []


def test_deleting_the_account_takes_requests_answers_comments_and_links(
    supporter: tuple[User, Client],
) -> None:
    user, client = supporter
    made = with_answers(client)
    client.post(reverse("feedback:more_links", args=[made.public_id]), {"count": "2", "group": "other"})
    assert Invitation.objects.filter(kind=Kind.FEEDBACK, target_id=made.pk).count() == 6
    other = User.objects.create_user(username="suzuki", password="pw-0123456789", display_name="鈴木")
    theirs = FeedbackRequest.objects.create(
        owner=other, framework=made.framework, items=made.items, closes_on=made.closes_on
    )
    kept = Answer.objects.create(request=theirs, group="other", marks={}, typed_in=True)
    Comment.objects.create(answer=kept, item_code=made.items[0], text="残るコメント")

    delete_account(user)

    assert list(FeedbackRequest.objects.all()) == [theirs]
    assert list(Answer.objects.all()) == [kept]
    assert list(Comment.objects.values_list("text", flat=True)) == ["残るコメント"]
    assert not Invitation.objects.filter(kind=Kind.FEEDBACK, target_id=made.pk).exists()
    assert not Invitation.objects.filter(kind=Kind.FEEDBACK).exists()
