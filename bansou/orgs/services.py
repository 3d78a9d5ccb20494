"""Writes of organisations: creating one, inviting, joining, roles, leaving."""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import PermissionDenied
from django.db import transaction

from bansou.accounts.models import User
from bansou.invitations import services as invitations
from bansou.invitations.models import Invitation, Kind
from bansou.orgs.models import Membership, Organisation
from bansou.orgs.signals import member_leaving


class LastAdmin(Exception):
    """An organisation must keep at least one administrator."""


class SignupNotAllowed(PermissionDenied):
    """Only the site's administrators and the organisation's 管理者 may issue an invitation that lets a
    new person create an account (a view that lets it through answers 403)."""


def may_grant_signup(user: User, organisation_id: int) -> bool:
    """Whether ``user`` may issue invitations of the organisation (or of a 研修 it runs) that let a new
    person create an account: a site administrator or the organisation's 管理者, never its 職員.

    Whoever can make accounts can invent participants of a 研修 and read the one real person's answers
    off its totals; invite-only sign-up keeps that to these people. One query (none for a superuser)."""
    return organisation_id in granting_signup(user, [organisation_id])


def granting_signup(user: User, organisation_ids: Collection[int]) -> set[int]:
    """Those of ``organisation_ids`` for which ``user`` may grant sign-up (``may_grant_signup``)."""
    if user.is_superuser:
        return set(organisation_ids)
    return set(
        Membership.objects.filter(
            organisation_id__in=organisation_ids, user_id=user.pk, role=Membership.Role.ADMIN
        ).values_list("organisation_id", flat=True)
    )


def check_grant_signup(user: User, organisation_id: int, grants_signup: bool) -> None:
    """Raises ``SignupNotAllowed`` if ``grants_signup`` is asked of someone who may not grant it."""
    if grants_signup and not may_grant_signup(user, organisation_id):
        raise SignupNotAllowed


@transaction.atomic
def create_organisation(*, user: User, name: str, kind: str, prefecture_id: str | None) -> Organisation:
    org = Organisation.objects.create(name=name, kind=kind, prefecture_id=prefecture_id)
    Membership.objects.create(organisation=org, user=user, role=Membership.Role.ADMIN)
    return org


def invite(
    *, organisation: Organisation, by: User, role: str, grants_signup: bool = False
) -> invitations.Issued:
    """A link and code to join in ``role``, for two weeks; the code is shown once. ``grants_signup``:
    someone without an account may create one with it (``may_grant_signup``, else ``SignupNotAllowed``)."""
    check_grant_signup(by, organisation.pk, grants_signup)
    return invitations.issue(
        kind=Kind.ORGANISATION,
        target_id=organisation.pk,
        by_id=by.pk,
        role=role,
        grants_signup=grants_signup,
    )


def join(*, invitation: Invitation, user: User) -> tuple[Membership, bool]:
    """Joins in the invitation's role; someone already in keeps their place. Returns (membership, new).

    Raises ``invitations.UsedUp`` if the invitation stopped being usable meanwhile, and
    ``invitations.AwaitingApproval`` (joining nothing yet) if it needs the issuer's approval."""
    memberships = Membership.objects.filter(organisation_id=invitation.target, user=user)
    return invitations.admit(
        invitation,
        user.pk,
        existing=memberships.first,
        create=lambda: Membership.objects.create(
            organisation_id=invitation.target, user=user, role=invitation.role
        ),
    )


def set_in_pool(*, user_id: int, organisation_id: int, in_pool: bool) -> None:
    """The person's place in the organisation's pool (sharing decides when, with the share it needs)."""
    Membership.objects.filter(user_id=user_id, organisation_id=organisation_id).update(in_pool=in_pool)


@transaction.atomic
def set_role(*, membership: Membership, role: str) -> None:
    if membership.role == Membership.Role.ADMIN and role != Membership.Role.ADMIN:
        _keep_an_admin(membership)
    Membership.objects.filter(pk=membership.pk).update(role=role)


@transaction.atomic
def remove(*, membership: Membership) -> None:
    """Removes a person; what they shared with the organisation goes with them."""
    if membership.role == Membership.Role.ADMIN:
        _keep_an_admin(membership)
    member_leaving.send(sender=Membership, membership=membership)  # sharing withdraws the person's share
    membership.delete()


def is_last_admin(membership: Membership) -> bool:
    """Whether the membership is its organisation's only administrator (who may not leave)."""
    if membership.role != Membership.Role.ADMIN:
        return False
    admins = Membership.objects.filter(organisation_id=membership.organisation_id, role=Membership.Role.ADMIN)
    return not admins.exclude(pk=membership.pk).exists()


def _keep_an_admin(membership: Membership) -> None:
    admins = list(
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Membership.Role.ADMIN)
        .values_list("pk", flat=True)
    )
    if admins == [membership.pk]:
        raise LastAdmin
