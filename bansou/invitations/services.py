"""Making, finding, using and revoking invitations. The code exists in plain text only in ``Issued``."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from bansou.invitations.codes import LENGTH, new_code, normalise_code
from bansou.invitations.models import Invitation, Kind, Redemption

DAYS = 14  # how long a link to a team or an organisation lasts unless said otherwise


class UsedUp(Exception):
    """The invitation was revoked, expired or used up (perhaps a moment ago, by someone else)."""


class AwaitingApproval(Exception):
    """The invitation needs the issuer's approval of each join: the person waits (``approve``)."""


SALT = "bansou.invitations"


def digest_of(code: str, secret: str | bytes | None = None) -> str:
    """The stored form of a code, whatever way it was typed (full-width, lower case, hyphens): an
    HMAC-SHA256 keyed with the server's SECRET_KEY, so that a copy of the database alone does not let
    anyone try codes against it."""
    return salted_hmac(SALT, normalise_code(code), secret=secret, algorithm="sha256").hexdigest()


def _digests(code: str) -> list[str]:
    """The code's digest under SECRET_KEY and each of SECRET_KEY_FALLBACKS (a key being rotated)."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [digest_of(code, secret) for secret in secrets]


@dataclass(frozen=True)
class Issued:
    """A new invitation and its code: show the code now, it cannot be shown again."""

    invitation: Invitation
    code: str

    @property
    def pk(self) -> int:
        return self.invitation.pk


def issue(
    *,
    kind: Kind,
    target_id: int | None = None,
    by_id: int | None = None,
    role: str = "",
    lifetime: datetime.timedelta | None = datetime.timedelta(days=DAYS),
    max_uses: int | None = None,
    grants_signup: bool = False,
    approval_required: bool = False,
    note: str = "",
    length: int = LENGTH,
) -> Issued:
    for _attempt in range(5):  # a collision of two random codes is all but impossible
        code = new_code(length)
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    kind=kind,
                    target_id=target_id,
                    role=role,
                    digest=digest_of(code),
                    hint=code[-4:],
                    note=note,
                    created_by_id=by_id,
                    expires_at=timezone.now() + lifetime if lifetime else None,
                    max_uses=max_uses,
                    grants_signup=grants_signup,
                    approval_required=approval_required,
                )
        except IntegrityError:
            continue
        return Issued(invitation, code)
    raise RuntimeError("could not make a unique invitation code")


def find(code: str, kind: Kind | None = None) -> Invitation | None:
    """The invitation a code stands for (of ``kind``, if given), usable or not."""
    found = Invitation.objects.filter(digest__in=_digests(code))
    if kind is not None:
        found = found.filter(kind=kind)
    return found.first()


def find_usable(code: str, kind: Kind | None = None, *, by_id: int | None = None) -> Invitation | None:
    """The invitation if it can be used; with ``by_id``, also one used up by that person's own use
    (they created their account with it and now come to join): neither revoked nor expired."""
    invitation = find(code, kind)
    if invitation is None or invitation.usable():
        return invitation
    now = timezone.now()
    reusable = (
        by_id is not None
        and invitation.revoked_at is None
        and (invitation.expires_at is None or invitation.expires_at > now)
        and Redemption.objects.filter(invitation=invitation, user_id=by_id).exists()
    )
    return invitation if reusable else None


def active(kind: Kind, target_id: int) -> list[Invitation]:
    """The target's invitations that can still be used, newest first."""
    now = timezone.now()
    return list(
        Invitation.objects.filter(kind=kind, target_id=target_id, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .filter(Q(max_uses__isnull=True) | Q(uses__lt=F("max_uses")))
        .order_by("-created_at", "-pk")
    )


def revoke(*, kind: Kind, target_id: int | None, invitation_id: int | None = None) -> int:
    """Revokes one invitation of the target (or all of them, without ``invitation_id``)."""
    found = Invitation.objects.filter(kind=kind, target_id=target_id, revoked_at__isnull=True)
    if invitation_id is not None:
        found = found.filter(pk=invitation_id)
    return found.update(revoked_at=timezone.now())


@transaction.atomic
def redeem(invitation: Invitation, user_id: int) -> Redemption:
    """Records that ``user_id`` used the invitation; counts a use only once per person.

    Raises ``UsedUp`` if it is no longer usable (the count is raised only while under ``max_uses``,
    so two people racing for a single-use code cannot both have it). A redemption of an invitation
    that needs approval waits for ``approve``.
    """
    earlier = Redemption.objects.filter(invitation=invitation, user_id=user_id).first()
    if earlier is not None:
        return earlier
    now = timezone.now()
    if not count_use(invitation):
        raise UsedUp
    return Redemption.objects.create(
        invitation=invitation,
        user_id=user_id,
        at=now,
        approved_at=None if invitation.approval_required else now,
    )


def count_use(invitation: Invitation) -> bool:
    """Counts one use of the invitation, only while it is usable: True if this call had it, False if it
    was revoked, expired or used up meanwhile (two people or tabs racing for a single-use code cannot
    both have it). ``redeem`` adds the person's ``Redemption``; a feedback link, answered without an
    account, records no person."""
    now = timezone.now()
    return bool(
        Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .filter(Q(max_uses__isnull=True) | Q(uses__lt=F("max_uses")))
        .update(uses=F("uses") + 1)
    )


def forget(*, kind: Kind, target_id: int) -> None:
    """What was invited to is gone: its invitations go too (called by the owning app on delete)."""
    Invitation.objects.filter(kind=kind, target_id=target_id).delete()


Member = TypeVar("Member")


def admit(
    invitation: Invitation | None,
    user_id: int,
    *,
    existing: Callable[[], Member | None],
    create: Callable[[], Member],
) -> tuple[Member, bool]:
    """Joining by an invitation, as every kind does it: the place the person already has (``existing``),
    or a new one (``create``) with the use counted. Returns (place, new).

    A double click that races the first finds the first's place. Raises ``UsedUp`` if the invitation
    stopped being usable meanwhile, and ``AwaitingApproval`` (the request kept, nothing joined) if it
    needs the issuer's approval. ``invitation`` None: joining by another way (no use to count)."""
    found = existing()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            if invitation is not None and redeem(invitation, user_id).approved_at is None:
                waiting = True
            else:
                waiting, made = False, create()
    except IntegrityError:
        raced = existing()
        if raced is None:
            raise
        return raced, False
    if waiting:
        raise AwaitingApproval
    return made, True


def approve(redemption: Redemption) -> None:
    """The issuer lets a waiting person in (for invitations with ``approval_required``)."""
    Redemption.objects.filter(pk=redemption.pk, approved_at__isnull=True).update(approved_at=timezone.now())
