"""Writes of consent: sharing a check with a team or an organisation, the pool, sharing plans."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.orgs.models import Membership
from bansou.orgs.services import set_in_pool
from bansou.sharing import audiences
from bansou.sharing.choices import Audience, ShareChoice, Shared
from bansou.sharing.models import CheckShare, PlanShare


class NotYourCheck(Exception):
    """Only one's own checks can be shared."""


class VerdictsForTeamsOnly(ValueError):
    """Consent to showing a team's verdicts goes with a share with a team."""


def share(
    *, user: User, audience: Audience, choice: ShareChoice, verdicts_to_staff: bool = False
) -> CheckShare | None:
    """Shares with the audience as chosen (private withdraws, the consent with it). Returns the share,
    or None when private.

    ``verdicts_to_staff`` (a team only): the owner lets the team's verdicts be shown to the staff of the
    organisation that runs it (``bansou.domain.verdict_consent``); False withdraws that consent."""
    if verdicts_to_staff and audience.team_id is None:
        raise VerdictsForTeamsOnly
    if choice.kind is Shared.PRIVATE:
        CheckShare.objects.filter(owner=user, **audience.lookup()).delete()
        return None
    check = None
    if choice.check_id is not None:
        check = Check.objects.filter(owner=user, public_id=choice.check_id).first()
        if check is None:
            raise NotYourCheck
    lookup: dict[str, Any] = {"owner": user, **audience.lookup()}
    defaults = {"check_record": check, "verdicts_to_staff": verdicts_to_staff}
    shared, _ = CheckShare.objects.update_or_create(defaults=defaults, **lookup)
    return shared


def withdraw_from_team(*, user_id: int, team_id: int) -> None:
    """A member leaves a team: what they shared with it (their check and plans) goes with them."""
    CheckShare.objects.filter(team_id=team_id, owner_id=user_id).delete()
    PlanShare.objects.filter(team_id=team_id, plan__owner_id=user_id).delete()


def leave_pool(*, user_id: int, organisation_id: int) -> None:
    """Out of the organisation's pool, and its share withdrawn."""
    CheckShare.objects.filter(owner_id=user_id, organisation_id=organisation_id).delete()
    set_in_pool(user_id=user_id, organisation_id=organisation_id, in_pool=False)


@transaction.atomic
def set_pool(*, membership: Membership, choice: ShareChoice) -> None:
    """Joins the organisation's pool with a shared check (常に最新 or one check), or leaves it."""
    if choice.private:
        leave_pool(user_id=membership.user_id, organisation_id=membership.organisation_id)
        return
    share(user=membership.user, audience=Audience.organisation(membership.organisation_id), choice=choice)
    set_in_pool(user_id=membership.user_id, organisation_id=membership.organisation_id, in_pool=True)


@transaction.atomic
def share_plan(*, plan_id: int, owner_id: int, team_ids: Sequence[int]) -> None:
    """Shares the plan with exactly these teams, among those its owner is a member of."""
    allowed = {t.team_id for t in audiences.teams_of(owner_id)} & set(team_ids)
    PlanShare.objects.filter(plan_id=plan_id).exclude(team_id__in=allowed).delete()
    have = set(PlanShare.objects.filter(plan_id=plan_id).values_list("team_id", flat=True))
    PlanShare.objects.bulk_create(
        (PlanShare(plan_id=plan_id, team_id=pk) for pk in sorted(allowed - have)), ignore_conflicts=True
    )
