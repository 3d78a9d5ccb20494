"""What higher rooms show beside a person's own check: ports that plans plug into (ARCHITECTURE.md).

- ``result``: extra context for the result page (and its PDF), given the check.
- ``sheet_notes``: for a signed-in owner's sheet, a note beside each item (次の一歩 from their latest
  plan) and what the notes come from.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bansou.checks.models import Check
from bansou.domain.ports import ContextPort

result: ContextPort[Check] = ContextPort("checks.result")


@dataclass(frozen=True)
class SheetNotes:
    by_item: Mapping[str, Any] = field(default_factory=dict)  # item code -> the note (a 次の一歩 step)
    source: Any = None  # what the notes come from (the plan), for the sheet's heading


_sheet_notes: list[Callable[[int], SheetNotes]] = []


def provide_sheet_notes(provider: Callable[[int], SheetNotes]) -> None:
    """Registers the one provider of notes beside the sheet's items (owner id -> notes); the same
    provider again changes nothing, another one is refused."""
    if _sheet_notes and _sheet_notes[0] is not provider:
        raise ValueError(f"sheet notes are already provided by {_sheet_notes[0]!r}")
    _sheet_notes[:] = [provider]


def sheet_notes(owner_id: int | None) -> SheetNotes:
    if owner_id is None or not _sheet_notes:
        return SheetNotes()
    return _sheet_notes[0](owner_id)
