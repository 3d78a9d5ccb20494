"""Auditing shown totals: could some combination of everything shown single out one person?

Every total the app shows counts a *group* of checks: for each item, how many of the group's checks
answered ○ (and per element, how many stand in each quadrant). A total is a sum over the group, so
everything ever shown is the matrix M whose rows are the shown groups (0/1 over check ids): whoever
holds the totals holds M·x for every item's answers x. One check's answers follow from them exactly
when its unit vector lies in the row space of M (Chin & Özsoyoğlu, "Auditing and inference control
in statistical databases", 1982). The promise is about people, and a person may have several checks
(a 常に最新 share that moved to a newer check, a re-entered check): a person is *exposed* when some
combination of the totals depends on their checks alone — rank(M) > rank(M without their columns).
To someone who already knows some checks (their own; checks their organisation typed in from
paper), those columns are constants: a person is exposed to them when some combination depends on
the person's checks and the known ones only, beyond what the known ones alone give.

``Basis`` keeps the row space as a fully reduced echelon basis over the prime field GF(2^61 - 1),
one row per pivot column, so that adding a shown group costs one reduction and deciding whether a
person is exposed looks only at the rows whose pivots are their checks (see ``Basis.span_within``).
Over a prime field, an unlucky prime could in principle make two rational combinations coincide; with
p = 2^61 - 1 and 0/1 rows that chance is negligible, and the tests check the field's answers against
exact rational arithmetic.

What the audit does not see, and the simple rules of ``aggregates`` (fewer than five, differences
of one to four) cover instead: two to four people together (pooling their own answers, or a group
of them singled out as a whole). What no counting rule can close: answers are 0/1, so a total equal
to its group's size (or to 0) tells every member's answer; an account the organiser controls is a
"participant" the rule cannot tell apart. The pages say both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

PRIME = (1 << 61) - 1

Vector = dict[int, int]  # column (a check id) -> coefficient in GF(PRIME), zeros left out


def _axpy(target: Vector, factor: int, row: Mapping[int, int]) -> None:
    """target -= factor * row, in place."""
    for column, value in row.items():
        result = (target.get(column, 0) - factor * value) % PRIME
        if result:
            target[column] = result
        else:
            target.pop(column, None)


def rank(vectors: Iterable[Mapping[int, int]]) -> int:
    """The rank over GF(PRIME) of a few sparse vectors (Gaussian elimination)."""
    pivots: dict[int, Vector] = {}
    for given in vectors:
        vector = dict(given)
        while vector:
            column = min(vector)
            if column not in pivots:
                inverse = pow(vector[column], PRIME - 2, PRIME)
                pivots[column] = {c: v * inverse % PRIME for c, v in vector.items()}
                break
            _axpy(vector, vector[column], pivots[column])
    return len(pivots)


@dataclass(frozen=True)
class Basis:
    """The row space of the shown groups: for each pivot column, a row that is 1 at its pivot and 0 at
    every other pivot; and how many rows each column appears in. Immutable: ``extended`` shares the
    rows it does not change.

    A new row's pivot is the column of it that the fewest other rows hold (a check no earlier group
    counted, most often: then no other row changes at all), which keeps the rows as sparse as the
    groups themselves allow (Markowitz's rule for sparse elimination)."""

    rows: Mapping[int, Mapping[int, int]] = field(default_factory=dict)
    counts: Mapping[int, int] = field(default_factory=dict)  # column -> rows holding it

    @property
    def rank(self) -> int:
        return len(self.rows)

    def reduce(self, group: Iterable[int]) -> Vector:
        """The indicator of ``group`` less its part in the row space (empty when it adds nothing)."""
        vector: Vector = dict.fromkeys(group, 1)
        for column in [c for c in vector if c in self.rows]:
            # Rows are 0 at every other pivot: this pivot's entry is still the group's own.
            _axpy(vector, vector[column], self.rows[column])
        return vector

    def extended(self, group: Iterable[int]) -> Basis:
        """The basis of the row space with ``group`` added."""
        vector = self.reduce(group)
        if not vector:
            return self
        counts = dict(self.counts)
        pivot = min(vector, key=lambda c: (counts.get(c, 0), c))
        inverse = pow(vector[pivot], PRIME - 2, PRIME)
        new = {c: v * inverse % PRIME for c, v in vector.items()}
        rows = dict(self.rows)
        if counts.get(pivot, 0):  # other rows hold the new pivot: take it out of them
            for column, row in self.rows.items():
                if pivot in row:
                    changed = dict(row)
                    _axpy(changed, row[pivot], new)
                    _recount(counts, row, changed)
                    rows[column] = changed
        rows[pivot] = new
        _recount(counts, {}, new)
        return Basis(rows, counts)

    def span_within(self, columns: frozenset[int]) -> int:
        """The dimension of the combinations of shown groups that involve ``columns`` only.

        A combination's coefficient on a row is its value at that row's pivot, so a combination
        within ``columns`` uses only the rows pivoted there, and must cancel outside ``columns``."""
        inside = [self.rows[c] for c in columns if c in self.rows]
        if not inside:
            return 0
        if len(inside) == 1:  # one row: within ``columns`` exactly when it holds nothing else
            (row,) = inside
            return int(len(row) <= len(columns) and row.keys() <= columns)
        outside = [{c: v for c, v in row.items() if c not in columns} for row in inside]
        return len(inside) - rank(outside)

    def exposed(
        self, checks_of: Mapping[int, frozenset[int]], owner_of: Mapping[int, int], known: frozenset[int]
    ) -> set[int]:
        """The people (keys of ``checks_of``) whose checks some combination of the shown totals
        determines, to someone who knows the checks in ``known`` (which may be empty)."""
        known = frozenset(c for c in known if c in self.counts)  # only what some row holds can cancel
        base = self.span_within(known) if known else 0
        candidates = {owner_of[c] for c in self.rows if c in owner_of}
        for column in known & self.rows.keys():  # a known check's row may carry an unknown one
            candidates.update(owner_of[c] for c in self.rows[column] if c in owner_of)
        found = set()
        for person in candidates:
            unknown = checks_of.get(person, frozenset()) - known
            if unknown and self.span_within(unknown | known) > base:
                found.add(person)
        return found


def _recount(counts: dict[int, int], before: Mapping[int, int], after: Mapping[int, int]) -> None:
    for column in before.keys() - after.keys():
        counts[column] -= 1
        if not counts[column]:
            del counts[column]
    for column in after.keys() - before.keys():
        counts[column] = counts.get(column, 0) + 1


def people(owner_of: Mapping[int, int]) -> dict[int, frozenset[int]]:
    """Each person's checks, from each check's person."""
    checks: dict[int, set[int]] = {}
    for check, person in owner_of.items():
        checks.setdefault(person, set()).add(check)
    return {person: frozenset(ids) for person, ids in checks.items()}
