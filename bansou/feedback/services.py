"""Writes of feedback: making a request and its links, answering by a link, typing in a paper
answer, closing (the comparison made once and kept), hiding a comment's text."""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from bansou.accounts.models import User
from bansou.checks.access import Holder
from bansou.checks.queries import answers_of, latest_check
from bansou.disclosure.services import decide_apart
from bansou.domain import feedback_codec
from bansou.domain.feedback import MIN_RATERS, Mark, RaterGroup, Response, compare, views_to_ask
from bansou.domain.framework import Framework
from bansou.feedback.models import Answer, Comment, FeedbackRequest
from bansou.frameworks.models import FrameworkVersion
from bansou.frameworks.queries import framework_of
from bansou.invitations import services as invitations
from bansou.invitations.codes import LONG
from bansou.invitations.models import Invitation, Kind


class LinkState(StrEnum):
    OPEN = "open"  # can be answered
    USED = "used"  # answered already (one link, one answer)
    CLOSED = "closed"  # the request closed, or the link was revoked or expired
    UNKNOWN = "unknown"  # no such link (mistyped)


@dataclass(frozen=True)
class Link:
    state: LinkState
    invitation: Invitation | None = None
    request: FeedbackRequest | None = None


class NotOpen(Exception):
    """The link cannot take an answer (``state`` says why)."""

    def __init__(self, state: LinkState) -> None:
        super().__init__(state)
        self.state = state


def self_practice(owner: User) -> tuple[int | None, dict[str, bool | None]]:
    """The owner's latest submitted check and its 実践 (○: True) by item code, as the request records it,
    read on the check's own framework version (its scale decides what ○ is)."""
    check = latest_check(Holder(user_id=owner.pk))
    if check is None:
        return None, {}
    answers = answers_of(check)
    scale = framework_of(check.framework).scale
    return check.pk, {
        code: (scale.is_positive(a.practice) if a.practice is not None else None)
        for code, a in answers.items()
    }


@transaction.atomic
def make_request(
    *,
    owner: User,
    version: FrameworkVersion,
    framework: Framework,
    items: Sequence[str],
    message: str,
    closes_on: datetime.date,
    links: Mapping[RaterGroup, int],
) -> tuple[FeedbackRequest, list[invitations.Issued]]:
    """The request, with one single-use link per rater asked for (their codes: show them now). Items
    that are not in ``framework`` (the version's) are left out."""
    check_id, practice = self_practice(owner)
    known = set(framework.item_codes())
    items = [code for code in items if code in known]
    request = FeedbackRequest.objects.create(
        owner=owner,
        framework=version,
        items=items,
        message=message,
        closes_on=closes_on,
        self_check_id=check_id,
        self_practice={code: practice.get(code) for code in items},
    )
    return request, add_links(request, links)


def links_made(request: FeedbackRequest) -> int:
    """Every link the request has made, used or not (``MAX_LINKS`` in all)."""
    return Invitation.objects.filter(kind=Kind.FEEDBACK, target_id=request.pk).count()


def add_links(request: FeedbackRequest, links: Mapping[RaterGroup, int]) -> list[invitations.Issued]:
    """More single-use links, until the closing date's end."""
    until = datetime.datetime.combine(request.closes_on + datetime.timedelta(days=1), datetime.time())
    lifetime = timezone.make_aware(until) - timezone.now()
    return [
        invitations.issue(
            kind=Kind.FEEDBACK,
            target_id=request.pk,
            by_id=request.owner_id,
            role=group.value,
            lifetime=lifetime,
            max_uses=1,
            length=LONG,
        )
        for group, count in links.items()
        for _n in range(count)
    ]


def settle(request: FeedbackRequest, today: datetime.date | None = None) -> FeedbackRequest:
    """Closes the request if its date has passed (a request closes by its date as well as by hand)."""
    if request.closed_at is None and (today or timezone.localdate()) > request.closes_on:
        close(request)
        request.refresh_from_db()
    return request


def find_link(code: str) -> Link:
    """The link a typed or sent code stands for, and its state."""
    return link_of(invitations.find(code, Kind.FEEDBACK))


def link_of(invitation: Invitation | None) -> Link:
    """A feedback invitation's request (settled: closed if its date passed) and the link's state."""
    if invitation is None or invitation.kind != Kind.FEEDBACK or invitation.target_id is None:
        return Link(LinkState.UNKNOWN)
    request = (
        FeedbackRequest.objects.filter(pk=invitation.target_id).select_related("owner", "framework").first()
    )
    if request is None:
        return Link(LinkState.UNKNOWN)
    return Link(state_of(invitation, settle(request)), invitation, request)


def state_of(invitation: Invitation, request: FeedbackRequest) -> LinkState:
    if request.closed:
        return LinkState.CLOSED
    if invitation.max_uses is not None and invitation.uses >= invitation.max_uses:
        return LinkState.USED
    return LinkState.OPEN if invitation.usable() else LinkState.CLOSED


def _record(
    request: FeedbackRequest,
    group: str,
    marks: Mapping[str, Mark],
    comments: Mapping[str, str],
    *,
    typed_in: bool,
) -> Answer:
    answer = Answer.objects.create(
        request=request,
        group=group,
        marks={code: marks[code].value for code in request.items if code in marks},
        typed_in=typed_in,
    )
    Comment.objects.bulk_create(
        Comment(answer=answer, item_code=code, text=text)
        for code, text in comments.items()
        if code in request.items and text.strip()
    )
    return answer


def answer(invitation: Invitation, marks: Mapping[str, Mark], comments: Mapping[str, str]) -> Answer:
    """The rater's answer by their link, final: raises ``NotOpen`` if the link was used (a second tab,
    a replay) or the request closed meanwhile."""
    with transaction.atomic():
        request = FeedbackRequest.objects.select_for_update().get(pk=invitation.target)
        if request.closed or timezone.localdate() > request.closes_on:
            raise NotOpen(LinkState.CLOSED)
        if not invitations.count_use(invitation):
            invitation.refresh_from_db()
            raise NotOpen(state_of(invitation, request))
        return _record(request, invitation.role, marks, comments, typed_in=False)


def type_in(
    request: FeedbackRequest, group: RaterGroup, marks: Mapping[str, Mark], comments: Mapping[str, str]
) -> Answer:
    """A paper answer the supporter typed in: counted in the figures, known to the supporter, so not
    among the three answers the figures need."""
    with transaction.atomic():
        locked = FeedbackRequest.objects.select_for_update().get(pk=request.pk)
        if locked.closed or timezone.localdate() > locked.closes_on:
            raise NotOpen(LinkState.CLOSED)
        return _record(locked, group.value, marks, comments, typed_in=True)


def responses_of(request: FeedbackRequest) -> list[Response]:
    return [
        Response(a.pk, RaterGroup(a.group), {c: Mark(m) for c, m in a.marks.items()}, a.typed_in)
        for a in Answer.objects.filter(request=request).order_by("pk")
    ]


def close(request: FeedbackRequest, *, early: bool = False) -> bool:
    """Closes the request and makes the comparison the supporter will see, once: its links stop
    working, no answer can come after, and what is shown never changes. False: it was closed already."""
    with transaction.atomic():
        locked = FeedbackRequest.objects.select_for_update().get(pk=request.pk)
        if locked.closed:
            return False
        responses = responses_of(locked)
        asked = views_to_ask(responses)
        decisions = decide_apart(asked.requests(), known=asked.known, minimum=MIN_RATERS) if asked else []
        practice = {code: locked.self_practice.get(code) for code in locked.items}
        comparison = compare(locked.items, practice, responses, asked, decisions)
        locked.comparison = feedback_codec.dumps(comparison)
        locked.comment_seed = secrets.randbits(48)
        locked.closed_at = timezone.now()
        locked.closed_early = early
        locked.save(update_fields=["comparison", "comment_seed", "closed_at", "closed_early"])
        invitations.revoke(kind=Kind.FEEDBACK, target_id=locked.pk)
    return True


def hide_comment(request: FeedbackRequest, comment_id: uuid.UUID, *, hidden: bool = True) -> bool:
    """Hides (or shows again) a comment's text: the answer still counts, so hiding takes nothing away."""
    return bool(Comment.objects.filter(public_id=comment_id, answer__request=request).update(hidden=hidden))
