"""What teams does when something it owns goes."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from bansou.invitations import services as invitations
from bansou.invitations.models import Kind
from bansou.teams.models import Team


@receiver(post_delete, sender=Team, dispatch_uid="bansou.teams.forget_invitations")
def forget_invitations(sender: Any, instance: Team, **kwargs: Any) -> None:
    """Invitations to a deleted team go with it (they name it only by its id)."""
    invitations.forget(kind=Kind.TEAM, target_id=instance.pk)
