"""The supporter's own request, or 404 (decided by ``domain.access.feedback_decision``)."""

from __future__ import annotations

from django.http import Http404

from bansou.accounts.http import AuthedRequest
from bansou.domain.access import FeedbackAction, FeedbackRelation, feedback_decision
from bansou.feedback.models import FeedbackRequest
from bansou.feedback.services import settle
from bansou.web.http import enforce, parse_id


def request_for(request: AuthedRequest, public_id: str, action: FeedbackAction) -> FeedbackRequest:
    found = FeedbackRequest.objects.filter(public_id=parse_id(public_id)).first()
    if found is None:
        raise Http404
    enforce(feedback_decision(FeedbackRelation(owner=found.owner_id == request.user.pk), action))
    return settle(found)
