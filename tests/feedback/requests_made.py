"""Feedback requests made and answered through the services, for the tests of what happens after close,
who may see what, and the rate limits."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bansou.accounts.models import User
from bansou.checks.access import Holder
from bansou.domain.feedback import Mark, RaterGroup
from bansou.feedback import presenters, services
from bansou.feedback.models import Answer, FeedbackRequest
from bansou.frameworks.models import FrameworkVersion
from bansou.frameworks.queries import framework_of
from bansou.invitations.services import Issued
from tests.checks.test_access import make_check
from tests.conftest import make_user

Links = list[Issued]


def supporter(version: FrameworkVersion, username: str = "sato", display_name: str = "佐藤 花子") -> User:
    """A supporter with a submitted check (every 実践 ○)."""
    user = make_user(username, display_name)
    make_check(version, Holder(user_id=user.pk))
    return user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def new_request(
    owner: User, version: FrameworkVersion, links: Mapping[RaterGroup, int], days: int = 14
) -> tuple[FeedbackRequest, Links]:
    framework = framework_of(version)
    return services.make_request(
        owner=owner,
        version=version,
        framework=framework,
        items=presenters.proposed_items(framework),
        message="率直に教えてください",
        closes_on=timezone.localdate() + datetime.timedelta(days=days),
        links=links,
    )


def marks_for(asked: FeedbackRequest, mark: Mark) -> dict[str, Mark]:
    return dict.fromkeys(asked.items, mark)


def answer_by(issued: Issued, mark: Mark = Mark.SEEN, comment: str = "") -> Answer:
    assert issued.invitation.target_id is not None
    asked = FeedbackRequest.objects.get(pk=issued.invitation.target_id)
    return services.answer(issued.invitation, marks_for(asked, mark), {asked.items[0]: comment})


def typed_in(asked: FeedbackRequest, mark: Mark = Mark.SEEN, comment: str = "") -> Answer:
    return services.type_in(asked, RaterGroup.OTHER, marks_for(asked, mark), {asked.items[0]: comment})


def rater_with_session(code: str) -> Client:
    """A rater whose code was exchanged for a session (the answer form is theirs now)."""
    rater = Client()
    exchanged = rater.post(reverse("feedback_public:start"), {"code": code})
    assert exchanged.status_code == 302 and exchanged["Location"].startswith("/f/answer/")
    rater.answer_url = exchanged["Location"]  # type: ignore[attr-defined]  # the key of this link
    return rater


def answer_form(asked: FeedbackRequest, mark: Mark = Mark.SEEN) -> dict[str, str]:
    return {f"mark_{code}": mark.value for code in asked.items}
