"""What higher rooms show beside a person's own check: ports that plans plug into (ARCHITECTURE.md).

- ``result``: extra context for the result page (and its PDF), given the check.
- ``sheet_notes``: for a signed-in owner's sheet, a note beside each item (次の一歩 from their latest
  plan) and what the notes come from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bansou.checks.models import Check
from bansou.domain.ports import ContextPort, Provided

result: ContextPort[Check] = ContextPort("checks.result")


@dataclass(frozen=True)
class SheetNotes:
    by_item: Mapping[str, Any] = field(default_factory=dict)  # item code -> the note (a 次の一歩 step)
    source: Any = None  # what the notes come from (the plan), for the sheet's heading


# Owner id -> the notes beside the sheet's items (a visitor's draft, with no owner, has none).
notes_of: Provided[int, SheetNotes] = Provided("checks.notes_of", lambda owner_id: SheetNotes())


def sheet_notes(owner_id: int | None) -> SheetNotes:
    return SheetNotes() if owner_id is None else notes_of(owner_id)
