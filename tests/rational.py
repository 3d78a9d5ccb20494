"""An exact solver the tests check the audit against: ranks over the rationals (``fractions``), written
independently of ``bansou.domain.audit``'s prime field."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction


def exact_rank(rows: Iterable[Iterable[int]], columns: Iterable[int]) -> int:
    """The rank over the rationals of 0/1 rows (sets of column ids) restricted to ``columns``."""
    order = sorted(set(columns))
    matrix = [[Fraction(1 if c in row else 0) for c in order] for row in map(set, rows)]
    found = 0
    for col in range(len(order)):
        pivot = next((r for r in range(found, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            continue
        matrix[found], matrix[pivot] = matrix[pivot], matrix[found]
        for r in range(len(matrix)):
            if r != found and matrix[r][col] != 0:
                factor = matrix[r][col] / matrix[found][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[found], strict=True)]
        found += 1
    return found
