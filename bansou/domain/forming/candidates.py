"""Checking a request and the prefilter: the candidates, compiled to bit masks.

Internally people are indices into the prefiltered candidates, sorted by ``order`` (so an index
is also a rank: the lower, the earlier preferred). A team is a tuple of indices in increasing order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from bansou.domain.forming.model import HardError, Person, Problem, Request

Team = tuple[int, ...]


def eligible(person: Person, request: Request) -> bool:
    """May join under the hard constraints: available, not full this 年度, not excluded."""
    return person.available and person.eligible_load and person.key not in request.must_out


def problems_of(pool: Sequence[Person], request: Request) -> tuple[Problem, ...]:
    """The hard errors that make every team impossible; empty when some team meets them all.

    Complete: with none of these, a team exists (the must-in people, then core-eligible people up
    to core_min, then anyone eligible up to size_min; the checks below say each step fits).
    """
    found: list[Problem] = []
    if not pool:
        return (Problem(HardError.EMPTY_POOL),)
    r = request
    if r.size_min < 1 or r.size_min > r.size_max:
        found.append(Problem(HardError.SIZE_RANGE))
    if r.needed < 1:
        found.append(Problem(HardError.NEEDED_RANGE))
    if r.core_min < 0 or r.core_min > r.core_max or r.core_min > r.size_max:
        found.append(Problem(HardError.CORE_RANGE))
    by_key = {p.key: p for p in pool}
    for key in sorted(r.must_in):
        person = by_key.get(key)
        if person is None:
            found.append(Problem(HardError.MUST_IN_UNKNOWN, person=key))
        elif key in r.must_out:
            found.append(Problem(HardError.MUST_IN_EXCLUDED, person=key))
        elif not person.available:
            found.append(Problem(HardError.MUST_IN_UNAVAILABLE, person=key))
        elif not person.eligible_load:
            found.append(Problem(HardError.MUST_IN_OVER_CAPACITY, person=key, count=person.load))
    if found:
        return tuple(found)
    if len(r.must_in) > r.size_max:
        found.append(Problem(HardError.TOO_MANY_MUST_IN, count=len(r.must_in)))
    able = [p for p in pool if eligible(p, r)]
    if len(able) < r.size_min:
        found.append(Problem(HardError.TOO_FEW_ELIGIBLE, count=len(able)))
    forced_core = sum(1 for p in able if p.key in r.must_in and p.may_be_core)
    free_core = sum(1 for p in able if p.key not in r.must_in and p.may_be_core)
    reachable = forced_core + min(free_core, max(0, r.size_max - len(r.must_in)))
    if reachable < r.core_min:
        found.append(Problem(HardError.TOO_FEW_CORE, count=reachable))
    return tuple(found)


@dataclass(frozen=True)
class Compiled:
    """The request over the candidates, as bit masks (bit j of ``b``/``c``: the j-th B/C rule)."""

    request: Request
    people: tuple[Person, ...]  # candidates, sorted by order
    b: tuple[int, ...]  # B rules practised, only for people who may be core
    c: tuple[int, ...]
    c_bits: tuple[tuple[int, ...], ...]  # the C rule indices each person practises
    basics: tuple[bool, ...]
    core_ok: tuple[bool, ...]
    load1: tuple[int, ...]
    pref: tuple[int, ...]
    forced: tuple[int, ...]
    nb: int
    nc: int
    pool: tuple[Person, ...]  # the whole pool (for reasons)

    @property
    def n(self) -> int:
        return len(self.people)

    def team_of(self, keys: Iterable[str]) -> Team:
        index = {p.key: i for i, p in enumerate(self.people)}
        return tuple(sorted(index[k] for k in keys))


def _masks(person: Person, request: Request) -> tuple[int, int]:
    b = 0
    if person.may_be_core:
        for j, rule in enumerate(request.b):
            if rule in person.practises:
                b |= 1 << j
    c = 0
    for j, rule in enumerate(request.c):
        if rule in person.practises:
            c |= 1 << j
    return b, c


def _pref(person: Person, request: Request) -> int:
    return int(request.prefer_area and person.knows_area) + int(
        request.prefer_experience and person.supported_before
    )


def prefilter(able: Sequence[Person], request: Request, alternatives: int) -> list[Person]:
    """The people who can be in one of the ``alternatives`` best teams; the others are dropped.

    Say q *dominates* p when q is eligible, comes earlier (lower order), practises every requested
    rule p practises (B rules counted only for people who may be core), has the basics if p has,
    may be core if p may, knows the area / supported before if p does (when asked), and has a load
    no higher than p's. Swapping p for a q outside the team keeps every hard constraint (q takes
    p's core role if p had one), meets every rule instance p helped meet, keeps or lowers the
    maximum load, keeps or raises the preferences, keeps the size and makes the tie-break strictly
    better. So if p has at least ``size_max + k - 1`` dominators and is in a team T, at least k of
    them are outside T, and the k swaps give k different teams, each strictly better than T: T is
    not among the k best. Keeping the people with fewer dominators keeps the k best teams (and
    every team that meets a set of rules, if any does, by the same swaps). Must-in people are
    always kept.
    """
    people = sorted(able, key=lambda p: p.order)
    threshold = request.size_max + max(1, alternatives) - 1
    nbits = len(request.b) + len(request.c) + 4
    if len(people) <= threshold or nbits > 62:
        return people
    masks = np.zeros(len(people), dtype=np.int64)
    loads = np.zeros(len(people), dtype=np.int64)
    for i, p in enumerate(people):
        b, c = _masks(p, request)
        flags = (
            int(p.basics)
            | int(p.may_be_core) << 1
            | int(request.prefer_area and p.knows_area) << 2
            | int(request.prefer_experience and p.supported_before) << 3
        )
        masks[i] = flags | (b << 4) | (c << (4 + len(request.b)))
        loads[i] = p.load
    kept = []
    for i, p in enumerate(people):
        if i < threshold or p.key in request.must_in:
            kept.append(p)
            continue
        m = masks[i]
        dominators = np.count_nonzero(((masks[:i] & m) == m) & (loads[:i] <= loads[i]))
        if dominators < threshold:
            kept.append(p)
    return kept


def compile_request(
    pool: Sequence[Person], request: Request, alternatives: int = 1, *, reduce: bool = True
) -> Compiled:
    able = [p for p in pool if eligible(p, request)]
    people = prefilter(able, request, alternatives) if reduce else sorted(able, key=lambda p: p.order)
    bs, cs, bits = [], [], []
    for p in people:
        b, c = _masks(p, request)
        bs.append(b)
        cs.append(c)
        bits.append(tuple(j for j in range(len(request.c)) if c >> j & 1))
    return Compiled(
        request=request,
        people=tuple(people),
        b=tuple(bs),
        c=tuple(cs),
        c_bits=tuple(bits),
        basics=tuple(p.basics for p in people),
        core_ok=tuple(p.may_be_core for p in people),
        load1=tuple(p.load + 1 for p in people),
        pref=tuple(_pref(p, request) for p in people),
        forced=tuple(i for i, p in enumerate(people) if p.key in request.must_in),
        nb=len(request.b),
        nc=len(request.c),
        pool=tuple(pool),
    )
