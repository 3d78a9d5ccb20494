from __future__ import annotations

from django.db import transaction

from bansou.accounts.forms import SignupForm
from bansou.accounts.models import User
from bansou.invitations import services as invitations
from bansou.invitations.models import Invitation


@transaction.atomic
def sign_up(*, form: SignupForm) -> User:
    """Creates the account from a valid form and uses its invitation, if any.

    Raises ``invitations.UsedUp`` (and creates nothing) if the invitation was used up a moment ago."""
    user: User = form.save()
    invitation: Invitation | None = form.cleaned_data.get("invitation_code")
    if invitation is not None:
        try:
            invitations.redeem(invitation, user.pk)
        except invitations.UsedUp:
            transaction.set_rollback(True)
            raise
    return user
