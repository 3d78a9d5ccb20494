"""Deleting an account: hand over what others depend on, then remove everything about the person.

What goes and what stays is every app's declaration (``bansou.accounts.registry``): first each
app's hand-over steps (a team's lead, an organisation's administrator), then the rows without a key
to the user that hold something about the person (sessions, django-axes' login records), then the
user, whose foreign keys cascade to every keyed table (checks, drafts, plans, shares, memberships,
研修 participations, the access log about the person) or clear the key where the row is someone
else's record. Team maps, pools and 研修 totals no longer count the person.
"""

from __future__ import annotations

from django.db import transaction

from bansou.accounts.models import User
from bansou.accounts.registry import registry
from bansou.domain.personal_data import Fate


def handovers(user: User) -> list[str]:
    """What deleting would hand over or leave behind, one sentence each, in the steps' order."""
    return [line for step in registry().handovers for line in step.preview(user)]


@transaction.atomic
def delete_account(user: User) -> None:
    locked = User.objects.select_for_update().get(pk=user.pk)
    found = registry()
    for step in found.handovers:
        step.run(locked)
    for table in found.unkeyed:
        if table.fate is Fate.REMOVED:
            table.find(locked).delete()
    locked.delete()
