"""The way through feedback, by the test client: a request with links, raters answering without an
account (the code exchanged for a session, never in a URL), replays refused, nothing before close, the
comparison after close kept as it was."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bansou.accounts.models import User
from bansou.domain.feedback import MIN_RATERS
from bansou.feedback.models import Answer, FeedbackRequest
from bansou.invitations.models import Invitation, Kind

pytestmark = pytest.mark.django_db

ELEMENT_9 = re.compile(r'name="items" value="([^"]+)" checked')


def make_request(client: Client, links: int = 4) -> tuple[FeedbackRequest, list[str]]:
    page = client.get(reverse("feedback:new")).content.decode()
    proposed = ELEMENT_9.findall(page)
    assert len(proposed) == 10  # the ten items of 主体性を引き出す力, proposed first
    response = client.post(
        reverse("feedback:new"),
        {
            "items": proposed,
            "message": "率直に教えてください",
            "closes_on": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
            "municipal": links,
            "teammate": 0,
            "other": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    made = FeedbackRequest.objects.get()
    detail = client.get(response["Location"]).content.decode()
    codes = re.findall(r"/f/#([0-9A-Z]{20})", detail)
    assert len(codes) == links
    assert client.get(response["Location"]).content.decode().count("/f/#") == 0  # shown once
    return made, codes


def answer(code: str, mark: str = "seen", comment: str = "") -> Client:
    rater = Client()
    exchanged = rater.post(reverse("feedback_public:start"), {"code": code})
    assert exchanged.status_code == 302 and code not in exchanged["Location"]
    asked = FeedbackRequest.objects.get()
    data = {f"mark_{c}": mark for c in asked.items} | {f"comment_{asked.items[0]}": comment}
    sent = rater.post(exchanged["Location"], data)
    assert sent.status_code == 302, sent.content.decode()[:3000]
    return rater


def test_three_raters_then_close_shows_the_comparison(supporter: tuple[User, Client]) -> None:
    _user, client = supporter
    made, codes = make_request(client)
    for code in codes[:MIN_RATERS]:
        answer(code, comment="<script>alert(1)</script>よく聞いてくださる")
    before = client.get(reverse("feedback:detail", args=[made.public_id])).content.decode()
    assert "よく聞いてくださる" not in before and "自分も周りも認める強み" not in before
    client.post(reverse("feedback:close", args=[made.public_id]))
    after = client.get(reverse("feedback:detail", args=[made.public_id])).content.decode()
    assert "自分も周りも認める強み" in after
    assert "&lt;script&gt;alert(1)&lt;/script&gt;よく聞いてくださる" in after
    assert "3人中3人" in after


def test_a_used_link_is_refused_and_a_closed_request_takes_no_answer(supporter: tuple[User, Client]) -> None:
    _user, client = supporter
    made, codes = make_request(client)
    rater = answer(codes[0])
    again = rater.post(reverse("feedback_public:start"), {"code": codes[0]})
    assert again.status_code == 410  # the browser that answered is told the link was used, like anyone
    stranger = Client().post(reverse("feedback_public:start"), {"code": codes[0]})
    assert stranger.status_code == 410
    assert Client().post(reverse("feedback_public:start"), {"code": "A" * 20}).status_code == 404
    client.post(reverse("feedback:close", args=[made.public_id]))
    assert Client().post(reverse("feedback_public:start"), {"code": codes[1]}).status_code == 410
    assert Answer.objects.count() == 1
    page = client.get(reverse("feedback:detail", args=[made.public_id])).content.decode()
    assert "集計もコメントも表示しません" in page
    assert not Invitation.objects.filter(kind=Kind.FEEDBACK, revoked_at__isnull=True).exists()
