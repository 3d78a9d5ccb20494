"""Reads of plans: one's own, and the latest one's steps to show beside the next check."""

from __future__ import annotations

from bansou.plans.models import Plan, Step
from bansou.sharing.queries import plans_shared_with


def latest_steps(owner_id: int) -> dict[str, Step]:
    """Item code to the step of the owner's latest plan (by the check it was made from). Two queries."""
    plan = (
        Plan.objects.filter(owner_id=owner_id)
        .select_related("check_record")
        .order_by("-check_record__submitted_at", "-pk")
        .first()
    )
    if plan is None:
        return {}
    steps = list(Step.objects.filter(plan=plan))
    for step in steps:
        step.plan = plan  # the sheet names the plan's date without another query
    return {step.item_code: step for step in steps}


def plans_of(owner_id: int) -> list[Plan]:
    return list(
        Plan.objects.filter(owner_id=owner_id)
        .select_related("check_record")
        .prefetch_related("steps")
        .order_by("-check_record__submitted_at", "-pk")
    )


def shared_with_team(team_id: int) -> list[Plan]:
    """Plans members shared with the team, newest first, with their owners and steps. Two queries."""
    return list(
        Plan.objects.filter(pk__in=plans_shared_with(team_id))
        .select_related("owner", "check_record")
        .prefetch_related("steps")
        .order_by("owner__furigana", "owner__display_name", "-check_record__submitted_at", "-pk")
    )
