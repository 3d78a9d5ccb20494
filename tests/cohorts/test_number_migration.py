"""The migration that numbers participants within their 研修: existing participants get 1, 2, 3 ... in
the order they joined, each 研修 on its own, and the 研修 remembers the last number given."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bansou.cohorts.models import Cohort, Participant
from bansou.frameworks.models import FrameworkVersion
from bansou.orgs.services import create_organisation
from tests.cohorts.conftest import new_cohort
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("cohorts", "0004_startedcheck")]


def _migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def test_existing_participants_are_numbered_in_the_order_they_joined(version: FrameworkVersion) -> None:
    organiser = make_user("organiser", "県庁 主催")
    org = create_organisation(user=organiser, name="東京都", kind="prefecture", prefecture_id=None)
    first, second = new_cohort(org, organiser, "研修 A"), new_cohort(org, organiser, "研修 B")
    start = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    # Seats made in an order other than they joined, the two 研修 interleaved.
    joined = [(first, 3), (second, 1), (first, 1), (second, 2), (first, 2)]
    seats = {}
    for n, (cohort, day) in enumerate(joined):
        seat = Participant.objects.create(cohort=cohort, user=make_user(f"p{n}", f"参加 {n}"), number=100 + n)
        Participant.objects.filter(pk=seat.pk).update(joined_at=start + dt.timedelta(days=day))
        seats[n] = seat.pk
    try:
        _migrate(BEFORE)
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    numbers = dict(Participant.objects.values_list("pk", "number"))
    assert [numbers[seats[n]] for n in range(5)] == [3, 1, 1, 2, 2]
    assert dict(Cohort.objects.values_list("name", "last_number")) == {"研修 A": 3, "研修 B": 2}
