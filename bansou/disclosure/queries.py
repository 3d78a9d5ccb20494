"""Reads for disclosure: the history shown, the checks' people, and totals grouped in the database
(never one person's answers)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet

from bansou.checks.models import Check, CheckAnswer, CheckLabelStanding, CheckStanding
from bansou.disclosure.models import ShownGroup
from bansou.domain.aggregates import ElementCount, Group, ItemCount, Totals, element_count
from bansou.domain.framework import Scale
from bansou.frameworks.models import FrameworkVersion, Item

CHUNK = 900  # ids per IN list (SQLite builds may allow no more than 999 parameters)


def shown_since(position: int) -> list[Group]:
    """The recorded groups from ``position`` on, in the order they were recorded. One query."""
    rows = ShownGroup.objects.order_by("pk").values_list("checks", flat=True)[position:]
    return [frozenset(ids) for ids in rows]


def about(ids: Collection[int]) -> tuple[dict[int, int], frozenset[int]]:
    """For the checks of the groups asked for: each one's owner, and those typed in from paper. One
    query per 900 ids."""
    found: dict[int, int] = {}
    typed: set[int] = set()
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        for pk, owner, typist in Check.objects.filter(pk__in=ordered[start : start + CHUNK]).values_list(
            "pk", "owner_id", "entered_by_id"
        ):
            if owner is not None:
                found[pk] = owner
            if typist is not None:
                typed.add(pk)
    return found, frozenset(typed)


def item_codes(version: FrameworkVersion) -> dict[int, str]:
    """Item row id to item code, for grouping answers by the item's id (no join). One query."""
    return dict(Item.objects.filter(framework=version).values_list("pk", "code"))


def totals_of(
    checks: Iterable[int],
    scale: Scale,
    codes: Mapping[int, str],
    *,
    labels: bool = False,
    items: bool = True,
) -> Totals:
    """Per item (unless not ``items``) and per element (and per label, if ``labels``), how many of the
    given checks are ○: a GROUP BY query for each."""
    ids = sorted(checks)
    item_counts = _item_counts(ids, scale, codes) if items else {}
    elements = _standing_counts(CheckStanding.objects.filter(check_record_id__in=ids), "element")
    people = max((count.people for count in elements.values()), default=0)
    label_counts = (
        _standing_counts(CheckLabelStanding.objects.filter(check_record_id__in=ids), "label")
        if labels
        else {}
    )
    return Totals(people=people, items=item_counts, elements=elements, labels=label_counts)


def _item_counts(ids: list[int], scale: Scale, codes: Mapping[int, str]) -> dict[str, ItemCount]:
    positive = scale.positive_from
    return {
        codes[item_id]: ItemCount(people=people, understood=understood, practised=practised)
        for item_id, people, understood, practised in CheckAnswer.objects.filter(check_record_id__in=ids)
        .values("item_id")
        .annotate(
            people=Count("pk"),
            understood=Count("pk", filter=Q(understanding__gte=positive)),
            practised=Count("pk", filter=Q(practice__gte=positive)),
        )
        .values_list("item_id", "people", "understood", "practised")
        .order_by()
        if item_id in codes
    }


def _standing_counts(rows: QuerySet[Any], key: str) -> dict[Any, ElementCount]:
    """Per element (or label), how many checks stand in each quadrant: one GROUP BY query."""
    found: dict[Any, list[tuple[bool, bool, int]]] = {}
    for what, understood, practised, people in (
        rows.values(key, "understood", "practised")
        .annotate(people=Count("pk"))
        .values_list(key, "understood", "practised", "people")
        .order_by()
    ):
        found.setdefault(what, []).append((understood, practised, people))
    return {what: element_count(counts) for what, counts in found.items()}
