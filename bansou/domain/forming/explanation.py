"""The explanations: what a team leaves unmet, why, and what each member was chosen for."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from bansou.domain.forming.candidates import Compiled, eligible
from bansou.domain.forming.model import (
    ChosenFor,
    Conflict,
    Explanation,
    MemberNote,
    Reason,
    Request,
    RuleInstance,
    RuleKind,
    Uncovered,
)
from bansou.domain.forming.search import Scored


def unmet_of(comp: Compiled, scored: Scored) -> tuple[RuleInstance, ...]:
    r = comp.request
    team, core = scored.team, scored.core
    found: list[RuleInstance] = []
    for j, rule in enumerate(r.b):
        if not any(comp.b[i] >> j & 1 for i in core):
            found.append(RuleInstance(RuleKind.B, rule))
    for j, rule in enumerate(r.c):
        holders = sum(1 for i in team if comp.c[i] >> j & 1)
        found.extend(RuleInstance(RuleKind.C, rule, nth) for nth in range(holders + 1, r.needed + 1))
    for i in team:
        if not comp.basics[i]:
            found.append(RuleInstance(RuleKind.A, "A", person=comp.people[i].key))
    return tuple(found)


def pool_reason(comp: Compiled, instance: RuleInstance) -> Reason | None:
    """A reason read from the pool alone (no search), or None when the pool could meet it alone."""
    r = comp.request
    pool = comp.pool
    if instance.kind is RuleKind.A:
        if instance.person is not None and instance.person in r.must_in:
            return Reason.MUST_IN
        with_basics = sum(1 for p in pool if p.basics and eligible(p, r))
        return Reason.TOO_FEW_WITH_BASICS if with_basics < r.size_min else None
    practisers = [p for p in pool if instance.rule in p.practises]
    able = [p for p in practisers if eligible(p, r)]
    if instance.kind is RuleKind.B:
        if not practisers:
            return Reason.NOBODY_PRACTISES
        if not able:
            return Reason.NOT_ELIGIBLE
        if not any(p.may_be_core for p in able):
            return Reason.NOT_CORE
        return Reason.CORE_LIMIT if r.core_max < 1 else None
    if len(practisers) < instance.nth:
        return Reason.NOBODY_PRACTISES
    if len(able) < instance.nth:
        return Reason.NOT_ELIGIBLE
    return Reason.SIZE_LIMIT if r.size_max < instance.nth else None


def covers_unmet(conflict_instance: RuleInstance, unmet: RuleInstance) -> bool:
    if conflict_instance.kind is not unmet.kind:
        return False
    if unmet.kind is RuleKind.A:
        return True
    if unmet.kind is RuleKind.C:
        return conflict_instance.rule == unmet.rule and conflict_instance.nth <= unmet.nth
    return conflict_instance.rule == unmet.rule


def explain(
    comp: Compiled, scored: Scored, conflicts: Sequence[Conflict] | None
) -> tuple[tuple[RuleInstance, ...], Explanation]:
    """The unmet instances and the explanation; ``conflicts`` None when none were sought."""
    r = comp.request
    team, core = scored.team, scored.core
    keys = {i: comp.people[i].key for i in team}
    b_cover = tuple((rule, tuple(keys[i] for i in core if comp.b[i] >> j & 1)) for j, rule in enumerate(r.b))
    holders = [tuple(i for i in team if comp.c[i] >> j & 1) for j in range(comp.nc)]
    c_cover = tuple((rule, tuple(keys[i] for i in holders[j])) for j, rule in enumerate(r.c))
    notes = tuple(_member_note(comp, i, core, holders) for i in team)
    unmet = unmet_of(comp, scored)
    uncovered = tuple(Uncovered(inst, _unmet_reason(comp, inst, conflicts)) for inst in unmet)
    explanation = Explanation(members=notes, b_cover=b_cover, c_cover=c_cover, uncovered=uncovered)
    return unmet, explanation


def _member_note(comp: Compiled, i: int, core: Sequence[int], holders: Sequence[Sequence[int]]) -> MemberNote:
    """What member ``i`` brings to the team (``holders``: the members practising each C rule)."""
    r = comp.request
    p = comp.people[i]
    is_core = i in core
    return MemberNote(
        key=p.key,
        core=is_core,
        b_rules=tuple(rule for j, rule in enumerate(r.b) if is_core and comp.b[i] >> j & 1),
        c_rules=tuple(rule for rule in r.c if rule in p.practises),
        basics=p.basics,
        load_after=p.load + 1,
        knows_area=p.knows_area,
        supported_before=p.supported_before,
        chosen_for=_chosen_for(comp, i, core, holders),
    )


def _chosen_for(
    comp: Compiled, i: int, core: Sequence[int], holders: Sequence[Sequence[int]]
) -> tuple[ChosenFor, ...]:
    """Why member ``i`` is in the team; SIZE when nothing but (perhaps) the basics says why."""
    r = comp.request
    p = comp.people[i]
    chosen: list[ChosenFor] = []
    if i in comp.forced:
        chosen.append(ChosenFor.MUST_IN)
    if i in core:
        others = 0
        for o in core:
            if o != i:
                others |= comp.b[o]
        if comp.b[i] & ~others:
            chosen.append(ChosenFor.CORE_B)
        else:
            chosen.append(ChosenFor.CORE_ROLE)
    if any(len(holders[j]) <= r.needed for j in comp.c_bits[i]):
        chosen.append(ChosenFor.ONLY_C)
    if p.basics:
        chosen.append(ChosenFor.BASICS)
    if r.prefer_area and p.knows_area:
        chosen.append(ChosenFor.AREA)
    if r.prefer_experience and p.supported_before:
        chosen.append(ChosenFor.EXPERIENCE)
    if not set(chosen) - {ChosenFor.BASICS}:
        chosen.append(ChosenFor.SIZE)
    return tuple(chosen)


def _unmet_reason(comp: Compiled, inst: RuleInstance, conflicts: Sequence[Conflict] | None) -> Reason:
    """Why an unmet instance stays unmet: the pool's reason, else the conflict that names it
    (TRADE_OFF when none does); NOT_EXAMINED when no conflicts were sought."""
    reason = pool_reason(comp, inst)
    if reason is not None:
        return reason
    if conflicts is None:
        return Reason.NOT_EXAMINED
    return next(
        (c.reason for c in conflicts if any(covers_unmet(x, inst) for x in c.instances)),
        Reason.TRADE_OFF,
    )


def all_instances(request: Request) -> tuple[RuleInstance, ...]:
    """Every rule instance a conflict can name (the A instance: every member has the basics)."""
    found = [RuleInstance(RuleKind.B, rule) for rule in request.b]
    for rule in request.c:
        found.extend(RuleInstance(RuleKind.C, rule, nth) for nth in range(1, request.needed + 1))
    found.append(RuleInstance(RuleKind.A, "A"))
    return tuple(found)


def meets(comp: Compiled, scored: Scored, instances: Iterable[RuleInstance]) -> bool:
    """Does this team meet every instance (A without person: every member has the basics)?"""
    team, core = scored.team, scored.core
    for inst in instances:
        if inst.kind is RuleKind.A:
            if not all(comp.basics[i] for i in team):
                return False
        elif inst.kind is RuleKind.B:
            j = comp.request.b.index(inst.rule)
            if not any(comp.b[i] >> j & 1 for i in core):
                return False
        else:
            j = comp.request.c.index(inst.rule)
            if sum(1 for i in team if comp.c[i] >> j & 1) < inst.nth:
                return False
    return True


Instance = TypeVar("Instance")


def quickxplain(
    feasible: Callable[[list[Instance]], bool | None],
    background: list[Instance],
    added: bool,
    candidates: list[Instance],
    unknown: list[bool],
) -> list[Instance]:
    """A minimal subset X of ``candidates`` with ``background`` + X impossible, given that
    ``background`` + ``candidates`` is (QuickXplain, Junker 2004): for one team's rule instances and for
    a plan's alike. An answer the work limit left open counts as possible (keeps instances) and is
    noted in ``unknown``."""
    if added:
        verdict = feasible(background)
        if verdict is None:
            unknown.append(True)
        elif verdict is False:
            return []
    if len(candidates) == 1:
        return list(candidates)
    half = len(candidates) // 2
    first, second = candidates[:half], candidates[half:]
    d2 = quickxplain(feasible, background + first, True, second, unknown)
    d1 = quickxplain(feasible, background + d2, bool(d2), first, unknown)
    return d1 + d2
