"""What plans holds about a person: their plans (次の一歩, 振り返り), with the teams they let read them
(the shares themselves are declared by sharing)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from bansou.domain.personal_data import Code, Declaration, Keyed, Person, Row, Section, Sheet, SheetRows
from bansou.domain.reports import Column
from bansou.plans.models import Plan, Status
from bansou.reports.responses import iso
from bansou.sharing.models import PlanShare

STEPS = Sheet(
    "次の一歩",
    (
        Column("plan", "計画ID"),
        Column("from_check", "元のチェックID"),
        Column("item", "項目コード"),
        Column("action", "次の一歩"),
        Column("due_on", "期限"),
        Column("status", "状況コード"),
        Column("reflection", "振り返り"),
    ),
    position=200,
)


def _shared_with(person: Person) -> dict[int, list[str]]:
    """The labels of the teams each plan is shared with (the shares are sharing's to declare)."""
    labels: dict[int, list[str]] = defaultdict(list)
    for share in PlanShare.objects.filter(plan__owner_id=person.pk).select_related(
        "team__municipality__prefecture"
    ):
        labels[share.plan_id].append(share.team.label)
    return labels


def _plans(person: Person) -> list[dict[str, Any]]:
    plans = (
        Plan.objects.filter(owner_id=person.pk)
        .select_related("check_record")
        .prefetch_related("steps")
        .order_by("created_at")
    )
    shared_with = _shared_with(person)
    return [
        {
            "id": str(plan.public_id),
            "from_check": str(plan.check_record.public_id),
            "created_at": iso(plan.created_at),
            "reflection": plan.reflection,
            "shared_with_teams": shared_with[plan.pk],
            "steps": [
                {"item": s.item_code, "action": s.action, "due_on": iso(s.due_on), "status": s.status}
                for s in plan.steps.all()
            ],
        }
        for plan in plans
    ]


def _step_rows(person: Person, plans: list[dict[str, Any]]) -> Iterable[Row]:
    for plan in plans:
        for s in plan["steps"]:
            yield (
                plan["id"],
                plan["from_check"],
                s["item"],
                s["action"],
                s["due_on"],
                s["status"],
                plan["reflection"],
            )


def _status_codes(plans: object) -> Iterable[Code]:
    return [("状況コード", code, str(label)) for code, label in Status.choices]


def declare() -> Declaration:
    return Declaration(
        sections=(
            Section("plans", 400, _plans, sheets=(SheetRows(STEPS, 10, _step_rows),), codes=_status_codes),
        ),
        keyed=(
            Keyed("plans.Plan", "owner", "plans and their 振り返り"),
            Keyed("plans.Step", "plan__owner", "次の一歩 of those plans"),
        ),
    )
