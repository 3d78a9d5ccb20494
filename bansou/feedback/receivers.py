"""A request's answer links go with it (its account deleted, or the request itself)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from bansou.feedback.models import FeedbackRequest
from bansou.invitations import services as invitations
from bansou.invitations.models import Kind


@receiver(pre_delete, sender=FeedbackRequest, dispatch_uid="feedback_links_go_with_the_request")
def forget_links(sender: type[FeedbackRequest], instance: FeedbackRequest, **kwargs: Any) -> None:
    invitations.forget(kind=Kind.FEEDBACK, target_id=instance.pk)
