from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from bansou.accounts.forms import SignupForm
from bansou.accounts.models import Invitation, User


@transaction.atomic
def sign_up(*, form: SignupForm) -> User:
    """Creates the account from a valid form and uses up its invitation, if any."""
    user: User = form.save()
    invitation: Invitation | None = form.cleaned_data.get("invitation_code")
    if invitation is not None:
        updated = Invitation.objects.filter(pk=invitation.pk, used_by__isnull=True).update(
            used_by=user, used_at=timezone.now()
        )
        if not updated:  # used by someone else a moment ago
            transaction.set_rollback(True)
            raise Invitation.DoesNotExist
    return user
