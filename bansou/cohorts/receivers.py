"""What cohorts does when something it owns goes."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from bansou.cohorts.models import Cohort
from bansou.invitations import services as invitations
from bansou.invitations.models import Kind


@receiver(post_delete, sender=Cohort, dispatch_uid="bansou.cohorts.forget_invitations")
def forget_invitations(sender: Any, instance: Cohort, **kwargs: Any) -> None:
    """Invitations to a deleted cohort go with it (they name it only by its id)."""
    invitations.forget(kind=Kind.COHORT, target_id=instance.pk)
