"""A plan request and its outcome as plain JSON values and back, so that a page can keep a draft
plan: forming's codec (``forming.codec.dumps`` writes any of these frozen dataclasses), read back
by the declared types. ``loads(dumps(x)) == x`` (``tests/domain/test_planning_codec.py``).
"""

from __future__ import annotations

from typing import Any

from bansou.domain.forming.codec import dumps, read_value
from bansou.domain.planning.model import PlanOutcome, PlanRequest

__all__ = ["dumps", "loads_outcome", "loads_request"]


def loads_outcome(data: Any) -> PlanOutcome:
    """The outcome ``dumps`` wrote (ValueError, TypeError or KeyError when ``data`` is not one)."""
    found = read_value(PlanOutcome, data)
    assert isinstance(found, PlanOutcome)
    return found


def loads_request(data: Any) -> PlanRequest:
    """The request ``dumps`` wrote (ValueError, TypeError or KeyError when ``data`` is not one)."""
    found = read_value(PlanRequest, data)
    assert isinstance(found, PlanRequest)
    return found
