"""The one service that decides which totals are shown, records them, and counts them.

Every total the app shows over other people's checks (a 研修's phases and change, an organisation's
年度 overview, and later feedback and dashboards) is asked for here: ``show`` decides each group by
the five-person rule and the audit over every combination (``bansou.domain.aggregates.disclose``),
against one history for the whole installation, records what it shows under the same transaction,
and only then counts the totals of what it decided to show. Nothing else computes a shown total.

The decision holds ``LedgerState``'s lock (a row lock on PostgreSQL; on SQLite every transaction
takes the write lock at BEGIN), so that two decisions cannot each pass alone and expose someone
together. It reads only the history rows this app server has not seen yet: each process keeps the
ledger in memory and brings it up to date, or rebuilds it when the database's history is not the one
it remembers (another generation: a new database, or a test's). The long reads — which checks form
the groups, and the totals — happen outside the transaction.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import transaction

from bansou.disclosure import queries
from bansou.disclosure.models import LedgerState, ShownGroup
from bansou.domain.aggregates import MIN_PEOPLE, Group, Hidden, Ledger, Request, Totals, Viewer, disclose
from bansou.domain.framework import Framework
from bansou.frameworks.models import FrameworkVersion


class Withheld(StrEnum):
    """Why a group's totals are not shown."""

    TOO_FEW = Hidden.TOO_FEW.value  # fewer than the minimum (not counting what the viewer knows)
    DIFFERENCE = Hidden.DIFFERENCE.value  # beside groups shown before, a difference would be 1-4 people
    COMBINATION = Hidden.COMBINATION.value  # with everything shown before, one person would be singled out
    OPEN = "open"  # still changing (a phase not closed yet): each hand-in would show in the difference
    CHANGED = "changed"  # the group changed between deciding and counting


@dataclass(frozen=True)
class Figure:
    """One group's totals as the rule lets them be shown: ``totals``, or why they are ``withheld``."""

    people: int  # the size of the group, told even when its totals are withheld
    totals: Totals | None = None
    withheld: Withheld | None = None


@dataclass
class _Memory:
    """This process's copy of the history: valid while the database's generation and size match."""

    generation: str = ""
    size: int = 0
    ledger: Ledger = field(default_factory=Ledger)
    owner_of: dict[int, int] = field(default_factory=dict)


_memory = _Memory()
_guard = threading.Lock()


def _caught_up(memory: _Memory, position: int) -> tuple[_Memory, set[int]]:
    """``memory`` with the rows recorded from ``position`` on (one query); and the checks of those rows
    whose owners it does not know yet."""
    new = queries.shown_since(position)
    unseen = {c for group in new for c in group} - memory.owner_of.keys()
    ledger = memory.ledger.with_groups(new)
    return _Memory(memory.generation, position + len(new), ledger, memory.owner_of), unseen


def _of(memory: _Memory, generation: str, size: int) -> _Memory:
    """``memory`` if it is a prefix of the database's history, else an empty one of that history."""
    if memory.generation != generation or memory.size > size:
        return _Memory(generation=generation)
    return memory


def _read_ahead() -> _Memory:
    """Outside the lock, reads only: this process's memory, rebuilt if it is of another history and
    brought up to the rows committed so far, so that the lock is held only for the few rows recorded
    meanwhile (a new app server's first rebuild can take seconds over a long history). Committed rows
    are a prefix of the history: rows are recorded under the lock, in order."""
    with _guard:
        memory = _memory
    state = LedgerState.objects.filter(pk=1).values_list("generation", "size").first()
    if state is None:
        return memory
    memory = _of(memory, str(state[0]), state[1])
    if memory.size < state[1]:
        memory, unseen = _caught_up(memory, memory.size)
        owner_of = memory.owner_of | queries.owners(unseen)
        memory = _Memory(memory.generation, memory.size, memory.ledger, owner_of)
    return memory


def _current(
    state: LedgerState, asked: set[int], ahead: _Memory
) -> tuple[_Memory, dict[int, int], frozenset[int]]:
    """Within the lock: the history as the database has it (``ahead`` brought up to date); and, for
    the checks asked about and the history's new ones, each one's owner and those typed in from
    paper. Two queries, whatever the history's size."""
    base = _of(ahead, str(state.generation), state.size)
    memory, unseen = _caught_up(base, base.size)  # no rows when nobody recorded since reading ahead
    found, paper = queries.about(asked | unseen)
    owner_of = {**memory.owner_of, **found}
    return _Memory(memory.generation, state.size, memory.ledger, owner_of), owner_of, paper


def _remember(memory: _Memory) -> None:
    def keep() -> None:
        global _memory
        with _guard:
            _memory = memory

    transaction.on_commit(keep)


def _digest(group: Group) -> str:
    return hashlib.sha256(",".join(str(c) for c in sorted(group)).encode()).hexdigest()


def decide(
    asked: Sequence[Sequence[Group]], viewer_id: int, typed: Group, minimum: int
) -> list[Hidden | None]:
    """Decides each request (groups shown together or not at all) and records the groups shown."""
    ahead = _read_ahead()
    with transaction.atomic():
        state, _created = LedgerState.objects.select_for_update().get_or_create(pk=1)
        memory, owner_of, paper = _current(
            state, {c for request in asked for group in request for c in group}, ahead
        )
        typed = typed & paper  # only checks typed in from paper can be typed in by the organisation
        known = frozenset(c for c, person in owner_of.items() if person == viewer_id) | typed
        decisions, ledger = disclose(
            [Request(tuple(request)) for request in asked],
            memory.ledger,
            viewer=Viewer(known=known, typed=typed),
            owner_of=owner_of,
            minimum=minimum,
        )
        new = ledger.shown[len(memory.ledger.shown) :]
        if new:
            ShownGroup.objects.bulk_create(
                ShownGroup(digest=_digest(group), checks=sorted(group)) for group in new
            )
            state.size += len(new)
            state.save(update_fields=["size"])
        _remember(_Memory(memory.generation, state.size, ledger, owner_of))
    return decisions


def show(
    asked: Sequence[Sequence[Group]],
    *,
    viewer_id: int,
    framework: Framework,
    version: FrameworkVersion,
    typed: Group = frozenset(),
    minimum: int = MIN_PEOPLE,
) -> list[list[Figure]]:
    """The figures of each request, in the shape asked: totals where the rule allows them (recorded
    as shown), else why not. ``typed``: checks among the groups that the viewer's organisation typed
    in from paper (known to its staff)."""
    decisions = decide(asked, viewer_id, typed, minimum)
    codes = queries.item_codes(version) if any(d is None for d in decisions) else {}
    counted: dict[Group, Totals] = {}
    figures: list[list[Figure]] = []
    for request, decision in zip(asked, decisions, strict=True):
        row = []
        for group in request:
            if decision is not None:
                row.append(Figure(len(group), withheld=Withheld(decision)))
                continue
            if group not in counted:  # the same checks asked twice are counted once
                counted[group] = queries.totals_of(group, framework.scale, codes)
            totals = counted[group]
            if totals.people != len(group):  # a check went (its account was deleted) meanwhile
                row.append(Figure(len(group), withheld=Withheld.CHANGED))
            else:
                row.append(Figure(len(group), totals))
        figures.append(row)
    return figures
