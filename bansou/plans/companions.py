"""次の一歩 beside a person's check: what plans contribute to checks' pages (``checks.companions``)."""

from __future__ import annotations

from typing import Any

from bansou.checks.companions import SheetNotes
from bansou.checks.models import Check
from bansou.frameworks.queries import framework_of
from bansou.plans.models import Plan
from bansou.plans.queries import latest_steps


def result_context(check: Check) -> dict[str, Any]:
    """The plan made from this check, with its steps in order; plans are for signed-in owners only."""
    if check.owner_id is None:  # a visitor's check has no owner
        return {}
    context: dict[str, Any] = {"can_plan": True}
    plan = Plan.objects.filter(check_record=check).prefetch_related("steps").first()
    if plan is not None:
        items = {item.code: item for item in framework_of(check.framework).items()}
        context["plan"] = plan
        context["plan_steps"] = [
            {"item": items.get(step.item_code), "step": step}
            for step in sorted(plan.steps.all(), key=lambda s: s.position)
        ]
    return context


def sheet_notes(owner_id: int) -> SheetNotes:
    """The steps of the owner's latest plan, beside the items they are about."""
    steps = latest_steps(owner_id)
    return SheetNotes(by_item=steps, source=next(iter(steps.values())).plan if steps else None)
