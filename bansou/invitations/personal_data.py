"""What invitations hold about a person: the invitations they made and the ones they used."""

from __future__ import annotations

from django.db.models import QuerySet

from bansou.domain.personal_data import Declaration, Fate, Keyed, Person, Unkeyed
from bansou.invitations.models import Invitation


def _codes_used_by(person: Person) -> QuerySet[Invitation]:
    return Invitation.objects.filter(redemptions__user_id=person.pk, kind="signup")


def declare() -> Declaration:
    return Declaration(
        keyed=(
            Keyed("invitations.Redemption", "user", "the invitations they used, and when"),
            Keyed(
                "invitations.Invitation",
                "created_by",
                "invitations they made",
                Fate.UNLINKED,
                why="the team's, organisation's or 研修's record of its invitations",
            ),
        ),
        unkeyed=(
            Unkeyed(
                "invitations.Invitation",
                ("note",),
                "an administrator's note of whom they gave the sign-up code they used",
                _codes_used_by,
                Fate.KEPT,
                why="the administrator's own memo of the codes they handed out",
            ),
        ),
    )
