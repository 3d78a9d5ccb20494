"""What orgs does when something it owns goes."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from bansou.invitations import services as invitations
from bansou.invitations.models import Kind
from bansou.orgs.models import Organisation


@receiver(post_delete, sender=Organisation, dispatch_uid="bansou.orgs.forget_invitations")
def forget_invitations(sender: Any, instance: Organisation, **kwargs: Any) -> None:
    """Invitations to a deleted organisation go with it (they name it only by its id)."""
    invitations.forget(kind=Kind.ORGANISATION, target_id=instance.pk)
