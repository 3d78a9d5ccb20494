"""Seeded synthetic plan requests for a prefecture (issue 17): the benchmark's instances
(``bench/planning_solver.py``), importable by a test with small sizes. Plain Python, no Django.

``prefecture(targets, people, seed)`` makes:

- ``targets`` 市町村 (keys ``01001``, ``01002``, ... in a row, neighbours adjacent), each asking
  for a team of 3 to 4-6 members, 1-2 core (at least 1), ``needed`` 1, 1-3 of the five B
  elements and 2-4 of the nine C labels (the rare ones asked as often as the others), preferring
  members who know the area, and some who supported it before;
- a pool of ``people`` supporters: each practises a few rules (a personal level scales every
  rule's popularity; a few rules rare), 80 % with the basics, 20 % who may be core, capacity 1-3
  teams with some load already (a few full), 95 % available; each serves a handful of neighbouring
  市町村 (2-6 in a row around a home one) and supported one of them before with 10 %.

``areas_required`` (default True) says whether people serve only their areas (the realistic case:
each person a handful of 市町村) or anywhere (areas a preference only: every person a candidate of
every target, the hardest case).
"""

from __future__ import annotations

import random

from bansou.domain.forming.model import Person, Request
from bansou.domain.planning.model import Changes, PlanRequest, Supporter, Target

B_RULES = ("B:2", "B:3", "B:6", "B:7", "B:9")  # the leaflet's five B elements
C_RULES = tuple(f"C:{n}" for n in range(1, 10))  # the nine C labels
# How often a supporter practises each rule: most common, a few rare.
POPULARITY = dict.fromkeys(B_RULES + C_RULES, 0.25)
POPULARITY.update({"B:9": 0.04, "C:6": 0.05, "C:9": 0.03, "C:7": 0.10})


def town_keys(targets: int) -> list[str]:
    return [f"{1001 + k:05}" for k in range(targets)]


def _targets(rng: random.Random, keys: list[str]) -> tuple[Target, ...]:
    found = []
    for key in keys:
        core_max = rng.randint(1, 2)
        request = Request(
            b_rules=tuple(sorted(rng.sample(B_RULES, rng.randint(1, 3)))),
            c_rules=tuple(sorted(rng.sample(C_RULES, rng.randint(2, 4)))),
            needed=1,
            size_min=3,
            size_max=rng.randint(4, 6),
            core_min=1,
            core_max=core_max,
            prefer_area=True,
            prefer_experience=rng.random() < 0.5,
        )
        found.append(Target(key, request))
    return tuple(found)


def _supporter(rng: random.Random, k: int, keys: list[str]) -> Supporter:
    level = rng.betavariate(2, 3) * 2  # mean 0.8: most practise a few rules, some many
    practises = frozenset(r for r, p in POPULARITY.items() if rng.random() < min(0.95, p * level))
    capacity = rng.choices((1, 2, 3), weights=(5, 3, 2))[0]
    load = rng.randint(0, capacity - 1) if rng.random() < 0.9 else capacity
    home = rng.randrange(len(keys))
    reach = rng.randint(2, 6)
    first = max(0, min(home - reach // 2, len(keys) - reach))
    areas = keys[first : first + reach]
    person = Person(
        key=f"支援者{k:05}",
        practises=practises,
        basics=rng.random() < 0.8,
        may_be_core=rng.random() < 0.2,
        capacity=capacity,
        load=load,
        available=rng.random() < 0.95,
        order=k,
    )
    supported = frozenset(rng.sample(areas, 1)) if rng.random() < 0.1 else frozenset()
    return Supporter(person, frozenset(areas), supported)


def prefecture(targets: int, people: int, seed: int, *, areas_required: bool = True) -> PlanRequest:
    """A seeded plan request: ``targets`` 市町村, ``people`` supporters (see the module)."""
    rng = random.Random(seed)
    keys = town_keys(targets)
    planned = _targets(rng, keys)
    pool = [_supporter(rng, k, keys) for k in range(people)]
    rng.shuffle(pool)  # the order key is not the list order
    return PlanRequest(planned, tuple(pool), Changes.FREE, areas_required=areas_required)
