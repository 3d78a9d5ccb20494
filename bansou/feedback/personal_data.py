"""What feedback holds about a person: the requests they made, what raters answered to them, and what
they typed in from paper. Their export holds what their pages show them and no more: a request's
figures and comments only as kept at close (and only when shown), never one rater's answer; the paper
answers they typed in themselves; the team they chose to share a request's largest differences with.
Everything goes with the account (the links too: ``receivers``).

Raters are not people the app knows: no name, address or account is stored for an answer."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from bansou.domain.personal_data import Declaration, Keyed, Person, Section, Unkeyed
from bansou.feedback.models import Answer, FeedbackRequest
from bansou.invitations.models import Invitation, Kind


def _request(r: FeedbackRequest, typed: list[Answer]) -> dict[str, Any]:
    return {
        "created_at": r.created_at.isoformat(),
        "items": r.items,
        "message": r.message,
        "closes_on": r.closes_on.isoformat(),
        "closed_at": r.closed_at.isoformat() if r.closed_at else None,
        "self_practice": r.self_practice,
        "shared_with_team": r.shared_with_team.listing if r.shared_with_team else None,
        "comparison": r.comparison if r.shown else None,
        "comments": [
            {"item": c.item_code, "text": c.text, "hidden": c.hidden} for c in r.comments_in_order()
        ],
        "typed_in_answers": [
            {"group": a.group, "marks": a.marks, "comments": {c.item_code: c.text for c in a.comments.all()}}
            for a in typed
        ],
    }


def _requests(person: Person) -> list[dict[str, Any]]:
    found = []
    found_requests = (
        FeedbackRequest.objects.filter(owner_id=person.pk)
        .select_related("shared_with_team__municipality__prefecture", "shared_with_team__organisation")
        .order_by("created_at")
    )
    for r in found_requests:
        typed = list(
            Answer.objects.filter(request=r, typed_in=True).prefetch_related("comments").order_by("pk")
        )
        found.append(_request(r, typed))
    return found


def _links(person: Person) -> QuerySet[Invitation]:
    requests = FeedbackRequest.objects.filter(owner_id=person.pk).values("pk")
    return Invitation.objects.filter(kind=Kind.FEEDBACK, target_id__in=requests)


def declare() -> Declaration:
    return Declaration(
        sections=(Section("feedback_requests", 920, _requests),),
        keyed=(
            Keyed("feedback.FeedbackRequest", "owner", "the feedback requests they made"),
            Keyed("feedback.Answer", "request__owner", "the answers to their feedback requests"),
            Keyed("feedback.Comment", "answer__request__owner", "the comments raters wrote to them"),
        ),
        unkeyed=(
            Unkeyed(
                "invitations.Invitation",
                ("kind", "target_id"),
                "the answer links of their feedback requests (used or not)",
                _links,
            ),
        ),
    )
