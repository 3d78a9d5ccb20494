"""Sharing listens to the rooms below it."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from bansou.orgs.models import Membership
from bansou.orgs.signals import member_leaving
from bansou.sharing.services import leave_pool


@receiver(member_leaving)
def withdraw_on_leaving(sender: Any, membership: Membership, **kwargs: Any) -> None:
    leave_pool(user_id=membership.user_id, organisation_id=membership.organisation_id)
