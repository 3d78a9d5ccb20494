"""The one service that decides which totals are shown, records them, and counts them.

Every total the app shows over other people's checks (a 研修's phases and change, an organisation's
年度 overview) is asked for here: ``show`` decides each group by
the five-person rule and the audit over every combination (``bansou.domain.aggregates.disclose``),
against one history for the whole installation and for every party who will see the figures (the
caller's audience: an organisation's staff, each with what they know), records what it shows under
the same transaction, and only then counts the totals of what it decided to show. Nothing else
computes a shown total. Feedback from others (answers, not checks, with a threshold of three) is
decided by the same rule in ``decide_apart``, with a history of the request's own.

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
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import transaction

from bansou.disclosure import queries
from bansou.disclosure.models import LedgerState, ShownGroup
from bansou.domain.aggregates import MIN_PEOPLE, Audience, Group, Hidden, Ledger, Request, Totals, disclose
from bansou.domain.audit import people
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
    paper: frozenset[int] = frozenset()  # of the checks met so far, those typed in from paper


# Of some checks typed in from paper, those the viewer's organisation typed in.
TypedBy = Callable[[frozenset[int]], frozenset[int]]


_memory = _Memory()
_guard = threading.Lock()


def _caught_up(memory: _Memory, position: int) -> tuple[_Memory, set[int]]:
    """``memory`` with the rows recorded from ``position`` on (one query); and the checks of those rows
    whose owners it does not know yet."""
    new = queries.shown_since(position)
    unseen = {c for group in new for c in group} - memory.owner_of.keys()
    ledger = memory.ledger.with_groups(new)
    return _Memory(memory.generation, position + len(new), ledger, memory.owner_of, memory.paper), unseen


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
        found, paper = queries.about(unseen)
        memory = _Memory(
            memory.generation, memory.size, memory.ledger, memory.owner_of | found, memory.paper | paper
        )
    return memory


def _current(state: LedgerState, asked: set[int], ahead: _Memory) -> _Memory:
    """Within the lock: the history as the database has it (``ahead`` brought up to date), with the
    owners of the checks asked about and of the history's, and which of them were typed in from
    paper. Two queries, whatever the history's size."""
    base = _of(ahead, str(state.generation), state.size)
    memory, unseen = _caught_up(base, base.size)  # no rows when nobody recorded since reading ahead
    found, paper = queries.about(asked | unseen)
    return _Memory(
        memory.generation, state.size, memory.ledger, memory.owner_of | found, memory.paper | paper
    )


def _remember(memory: _Memory) -> None:
    def keep() -> None:
        global _memory
        with _guard:
            _memory = memory

    transaction.on_commit(keep)


def _digest(group: Group) -> str:
    return hashlib.sha256(",".join(str(c) for c in sorted(group)).encode()).hexdigest()


def decide(
    asked: Sequence[Sequence[Group]],
    viewer_id: int,
    *,
    audience: Collection[int] = (),
    typed_by: TypedBy | None = None,
    minimum: int = MIN_PEOPLE,
    shown_to: int | None = None,
) -> list[Hidden | None]:
    """Decides each request (groups shown together or not at all) and records the groups shown.

    The parties who will see the figures are the viewer and ``audience`` (an organisation's staff),
    each knowing their own checks and the paper checks ``typed_by`` says their organisation typed in
    (it is asked about every paper check of the groups and of the history: one query, within the
    lock). ``shown_to``: the organisation, remembered with a group shown for the first time."""
    ahead = _read_ahead()
    with transaction.atomic():
        state, _created = LedgerState.objects.select_for_update().get_or_create(pk=1)
        memory = _current(state, {c for request in asked for group in request for c in group}, ahead)
        typed = typed_by(memory.paper) & memory.paper if typed_by and memory.paper else frozenset()
        seeing = {viewer_id, *audience}
        own = people({c: o for c, o in memory.owner_of.items() if o in seeing})
        parties = tuple(own.get(u, frozenset()) | typed for u in sorted(seeing))
        decisions, ledger = disclose(
            [Request(tuple(request)) for request in asked],
            memory.ledger,
            audience=Audience(parties),
            owner_of=memory.owner_of,
            minimum=minimum,
        )
        new = ledger.shown[len(memory.ledger.shown) :]
        if new:
            ShownGroup.objects.bulk_create(
                ShownGroup(digest=_digest(group), checks=sorted(group), first_shown_to=shown_to)
                for group in new
            )
            state.size += len(new)
            state.save(update_fields=["size"])
        _remember(_Memory(memory.generation, state.size, ledger, memory.owner_of, memory.paper))
    return decisions


def show(
    asked: Sequence[Sequence[Group]],
    *,
    viewer_id: int,
    framework: Framework,
    version: FrameworkVersion,
    audience: Collection[int] = (),
    typed_by: TypedBy | None = None,
    minimum: int = MIN_PEOPLE,
    shown_to: int | None = None,
    labels: bool = False,
    items: bool = True,
) -> list[list[Figure]]:
    """The figures of each request, in the shape asked: totals where the rule allows them (recorded
    as shown), else why not (``labels``: the totals per label of the leaflet's table too; not
    ``items``: without the totals per item, for a page that reads only the standings).
    ``audience``, ``typed_by``, ``shown_to``: see ``decide``."""
    decisions = decide(
        asked, viewer_id, audience=audience, typed_by=typed_by, minimum=minimum, shown_to=shown_to
    )
    codes = queries.item_codes(version) if items and any(d is None for d in decisions) else {}
    counted: dict[Group, Totals] = {}
    figures: list[list[Figure]] = []
    for request, decision in zip(asked, decisions, strict=True):
        row = []
        for group in request:
            if decision is not None:
                row.append(Figure(len(group), withheld=Withheld(decision)))
                continue
            if group not in counted:  # the same checks asked twice are counted once
                counted[group] = queries.totals_of(group, framework.scale, codes, labels=labels, items=items)
            totals = counted[group]
            if totals.people != len(group):  # a check went (its account was deleted) meanwhile
                row.append(Figure(len(group), withheld=Withheld.CHANGED))
            else:
                row.append(Figure(len(group), totals))
        figures.append(row)
    return figures


def decide_apart(asked: Sequence[Sequence[Group]], *, known: Group, minimum: int) -> list[bool]:
    """Decides figures over groups that no other figure of the installation shares (a feedback
    request's answers, each counted in that request's figures only), by the same rule as ``show``
    (``aggregates.disclose``: the minimum, differences, nesting and every combination), with a history
    of their own: the request's figures, decided together once and kept by the caller. The one party
    is the viewer, who knows ``known`` (answers they typed in themselves). True: shown."""
    decisions, _ledger = disclose(
        [Request(tuple(request)) for request in asked],
        audience=Audience((known,)),
        minimum=minimum,
    )
    return [decision is None for decision in decisions]
