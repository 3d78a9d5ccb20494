"""``planning.candidate_count``: the (person, target) pairs the plan chooses among, which the page's
limit on the exact plan is stated in, equal the pairs a brute force lets serve."""

from __future__ import annotations

from hypothesis import given

from bansou.domain import planning
from bansou.domain.planning import PlanRequest
from tests.domain.test_planning import may_serve, requests


@given(requests())
def test_the_count_is_the_pairs_that_may_serve(request: PlanRequest) -> None:
    if planning.check(request):
        return  # no plan: nothing to choose among
    expected = sum(1 for t in request.targets for s in request.pool if may_serve(request, t, s))
    assert planning.candidate_count(request) == expected
