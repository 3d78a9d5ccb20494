"""Keeping a draft plan: ``planning.codec`` writes a request and its outcome as JSON values and
reads back the very same ones, heuristic and exact, with conflicts, gaps and hard errors."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings

from bansou.domain.planning import PlanOutcome, PlanRequest, plan_exactly, plan_quickly
from bansou.domain.planning.codec import dumps, loads_outcome, loads_request
from tests.domain.test_planning import requests


@settings(database=None, max_examples=30, deadline=None)
@given(requests())
def test_a_request_and_its_plans_survive_json(request: PlanRequest) -> None:
    assert loads_request(json.loads(json.dumps(dumps(request)))) == request
    for outcome in (plan_quickly(request), plan_exactly(request)):
        assert loads_outcome(json.loads(json.dumps(dumps(outcome)))) == outcome


@pytest.mark.parametrize(
    "data",
    [None, [], {"problems": []}, {**dumps(PlanOutcome()), "gaps": {}}, {**dumps(PlanOutcome()), "plan": 3}],
)
def test_what_is_not_an_outcome_is_refused(data: object) -> None:
    with pytest.raises((TypeError, ValueError, KeyError)):
        loads_outcome(data)
