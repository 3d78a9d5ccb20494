"""Rules for saving one cell (item x axis) of a draft check from one of possibly several tabs.

Every cell carries a revision that grows by one with each saved change. A tab sends the revision
it last saw; a change made on an older revision is refused unless it changes nothing, so a stale
tab never silently overwrites a newer answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bansou.domain.framework import Axis, Framework


@dataclass(frozen=True)
class Cell:
    value: int | None
    revision: int


NEW_CELL = Cell(value=None, revision=0)


@dataclass(frozen=True)
class Edit:
    item: str
    axis: Axis
    value: int | None
    base_revision: int


class Outcome(StrEnum):
    SAVED = "saved"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    INVALID = "invalid"


def is_valid_edit(framework: Framework, edit: Edit) -> bool:
    """The item exists and the value is on the framework's scale (or ``None``, to clear)."""
    return (
        edit.item in framework.item_codes()
        and edit.base_revision >= 0
        and (edit.value is None or edit.value in framework.scale.values())
    )


def decide(current: Cell, edit: Edit) -> Outcome:
    """What saving ``edit`` over ``current`` does."""
    if current.value == edit.value:
        return Outcome.UNCHANGED
    if current.revision == edit.base_revision:
        return Outcome.SAVED
    return Outcome.CONFLICT
