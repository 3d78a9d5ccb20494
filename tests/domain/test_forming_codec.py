"""Keeping a proposal: ``codec.dumps`` writes an outcome as JSON values and ``loads_outcome`` reads
back the very same outcome, for heuristic and exact outcomes, with conflicts and hard errors."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

from bansou.domain.forming import Outcome, propose_exactly, propose_quickly
from bansou.domain.forming.codec import dumps, loads_outcome
from tests.domain.test_forming import problems


@settings(database=None, max_examples=40, deadline=None)
@given(problems())
def test_an_outcome_survives_json(case: tuple[list, object]) -> None:
    pool, request = case
    for outcome in (propose_quickly(pool, request), propose_exactly(pool, request)):  # type: ignore[arg-type]
        text = json.dumps(dumps(outcome))
        assert loads_outcome(json.loads(text)) == outcome


@pytest.mark.parametrize(
    "data",
    [None, [], {"problems": []}, {**dumps(Outcome()), "pool": "many"}, {**dumps(Outcome()), "proposals": {}}],
)
def test_what_is_not_an_outcome_is_refused(data: object) -> None:
    with pytest.raises((TypeError, ValueError, KeyError)):
        loads_outcome(data)
