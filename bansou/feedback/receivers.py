"""A request's answer links go with it (its account deleted, or the request itself); a share with a team
ends with the person's membership of it."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver

from bansou.feedback.models import FeedbackRequest
from bansou.invitations import services as invitations
from bansou.invitations.models import Kind
from bansou.teams.models import TeamMember


@receiver(pre_delete, sender=FeedbackRequest, dispatch_uid="feedback_links_go_with_the_request")
def forget_links(sender: type[FeedbackRequest], instance: FeedbackRequest, **kwargs: Any) -> None:
    invitations.forget(kind=Kind.FEEDBACK, target_id=instance.pk)


@receiver(post_delete, sender=TeamMember, dispatch_uid="feedback_share_ends_with_the_membership")
def end_team_share(sender: type[TeamMember], instance: TeamMember, **kwargs: Any) -> None:
    """A member who leaves or is removed stops sharing with that team: joining again shares nothing
    until they choose to again."""
    FeedbackRequest.objects.filter(owner_id=instance.user_id, shared_with_team_id=instance.team_id).update(
        shared_with_team=None
    )
