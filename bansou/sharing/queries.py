"""Reads of shares: what a person shares, what a team or an organisation's pool may see."""

from __future__ import annotations

from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.orgs.models import Membership
from bansou.orgs.pages import OrgPage
from bansou.sharing.choices import Audience
from bansou.sharing.models import CheckShare, PlanShare


def _latest_check_of(owner_field: str) -> Subquery:
    return Subquery(
        Check.objects.filter(owner_id=OuterRef(owner_field)).order_by("-submitted_at", "-pk").values("pk")[:1]
    )


def resolved_shares(shares: QuerySet[CheckShare]) -> QuerySet[CheckShare]:
    """Shares annotated with ``resolved``: the check shared, or the owner's latest for 常に最新."""
    return shares.annotate(resolved=Coalesce(F("check_record_id"), _latest_check_of("owner_id")))


def share_of(user_id: int, audience: Audience) -> CheckShare | None:
    """The person's share with ``audience``, with its check. One query."""
    return (
        CheckShare.objects.filter(owner_id=user_id, **audience.lookup())
        .select_related("check_record")
        .first()
    )


def shares_of(user: User) -> list[CheckShare]:
    """Everything the person shares, with teams (and the organisations that run them) and
    organisations. One query."""
    return list(
        CheckShare.objects.filter(owner=user).select_related(
            "team__municipality__prefecture", "team__organisation", "organisation", "check_record"
        )
    )


def team_shares(team_id: int, user_id: int | None = None) -> dict[int, tuple[int, bool]]:
    """Owner id to (the check they let the team see, shared as 常に最新), for every member who shares
    one (only ``user_id``'s, if given). One query."""
    shares = CheckShare.objects.filter(team_id=team_id)
    if user_id is not None:
        shares = shares.filter(owner_id=user_id)
    rows = resolved_shares(shares).values_list(
        "owner_id",
        "resolved",  # type: ignore[misc]  # an annotation django-stubs cannot see
        "check_record_id",
    )
    return {owner: (check_id, chosen is None) for owner, check_id, chosen in rows if check_id}


def verdict_consents(team_id: int) -> set[int]:
    """The owners who let the team's verdicts be shown to the running organisation's staff (they
    share with the team, and consented). One query."""
    return set(
        CheckShare.objects.filter(team_id=team_id, verdicts_to_staff=True).values_list("owner_id", flat=True)
    )


def pool_members(organisation_id: int) -> QuerySet[Membership, Any]:
    """The user ids of the people in the organisation's pool (a subquery)."""
    return Membership.objects.filter(organisation_id=organisation_id, in_pool=True).values("user_id")


def pool_checks(organisation_id: int) -> QuerySet[CheckShare]:
    """The checks that people in the organisation's pool share with it, as ``resolved`` (a subquery)."""
    shared = CheckShare.objects.filter(
        organisation_id=organisation_id, owner_id__in=pool_members(organisation_id)
    )
    return resolved_shares(shared).values("resolved")  # type: ignore[misc]  # an annotation


def organisation_shares(organisation_id: int) -> QuerySet[CheckShare]:
    """The shares people made with the organisation (in its pool or not)."""
    return CheckShare.objects.filter(organisation_id=organisation_id)


def plans_shared_with(team_id: int) -> QuerySet[PlanShare]:
    """The ids of the plans shared with the team (``plan_id``, a subquery)."""
    return PlanShare.objects.filter(team_id=team_id).values("plan_id")  # type: ignore[return-value]


def plan_team_ids(plan_id: int) -> list[int]:
    """The teams a plan is shared with. One query."""
    return list(PlanShare.objects.filter(plan_id=plan_id).values_list("team_id", flat=True))


def org_page_context(page: OrgPage) -> dict[str, Any]:
    """For the organisation's page (``orgs.pages``): the viewer's share with it, if any."""
    return {"share": share_of(page.membership.user_id, Audience.organisation(page.organisation.pk))}
