"""Writes of plans: choosing focus items, writing 次の一歩 and the 振り返り, without silent overwrites."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.plans.models import Plan, Status, Step

MAX_STEPS = 5  # 「いくつか」: a plan of a few steps is one that gets done


class TooManySteps(ValueError):
    pass


class Conflict(Exception):
    """The plan was saved elsewhere (another tab or terminal) since this form was opened."""


@dataclass(frozen=True)
class StepInput:
    action: str
    due_on: datetime.date | None
    status: str


def start_plan(*, owner: User, check: Check, item_codes: Sequence[str]) -> Plan:
    """Makes the plan for ``check`` (or returns the one already made: a second click changes nothing)."""
    if not 0 < len(item_codes) <= MAX_STEPS:
        raise TooManySteps
    try:
        with transaction.atomic():
            plan = Plan.objects.create(owner=owner, check_record=check)
            Step.objects.bulk_create(
                Step(plan=plan, item_code=code, position=i) for i, code in enumerate(item_codes)
            )
            return plan
    except IntegrityError:
        return Plan.objects.get(check_record=check)


@transaction.atomic
def choose_items(*, plan: Plan, revision: int, item_codes: Sequence[str]) -> None:
    """Changes the focus items; steps of items kept keep what was written."""
    if not 0 < len(item_codes) <= MAX_STEPS:
        raise TooManySteps
    _bump(plan, revision)
    Step.objects.filter(plan=plan).exclude(item_code__in=item_codes).delete()
    have = set(Step.objects.filter(plan=plan).values_list("item_code", flat=True))
    for position, code in enumerate(item_codes):
        if code in have:
            Step.objects.filter(plan=plan, item_code=code).update(position=position)
        else:
            Step.objects.create(plan=plan, item_code=code, position=position)


@transaction.atomic
def save_plan(*, plan: Plan, revision: int, steps: Mapping[str, StepInput], reflection: str) -> None:
    """Saves every step and the 振り返り, if nobody saved the plan since ``revision`` was read."""
    _bump(plan, revision)
    Plan.objects.filter(pk=plan.pk).update(reflection=reflection)
    for code, step in steps.items():
        status = step.status if step.status in Status.values else Status.NOT_STARTED
        Step.objects.filter(plan=plan, item_code=code).update(
            action=step.action, due_on=step.due_on, status=status
        )


def _bump(plan: Plan, revision: int) -> None:
    bumped = Plan.objects.filter(pk=plan.pk, revision=revision).update(
        revision=F("revision") + 1, updated_at=timezone.now()
    )
    if not bumped:
        raise Conflict
