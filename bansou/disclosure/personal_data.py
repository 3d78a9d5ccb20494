"""What disclosure holds about a person: the ids of their checks among the groups whose totals were
shown (no answers, no names)."""

from __future__ import annotations

from django.db.models import QuerySet

from bansou.checks.models import Check
from bansou.disclosure.models import ShownGroup
from bansou.domain.personal_data import Declaration, Fate, Person, Unkeyed


def _shown_with(person: Person) -> QuerySet[ShownGroup]:
    """The shown groups one of the person's checks is in (read through: the ids are a JSON list)."""
    mine = set(Check.objects.filter(owner_id=person.pk).values_list("pk", flat=True))
    groups = ShownGroup.objects.values_list("pk", "checks")
    return ShownGroup.objects.filter(pk__in=[pk for pk, checks in groups if mine.intersection(checks)])


def declare() -> Declaration:
    return Declaration(
        unkeyed=(
            Unkeyed(
                "disclosure.ShownGroup",
                ("checks",),
                "the ids of their checks in groups whose totals were shown",
                _shown_with,
                Fate.KEPT,
                why=(
                    "the five-person rule sets later totals against every group shown before; without"
                    " the ids a later total could be combined with shown ones to single out a person."
                    " Once the account is deleted, the ids are of deleted checks and lead to nobody"
                ),
            ),
        ),
    )
