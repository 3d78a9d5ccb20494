"""Recording checks in bulk (paper entry, imports): answers, standings and dates, in a fixed number of
queries, all or nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bansou.accounts.models import User
from bansou.checks.models import Check, CheckAnswer, CheckLabelStanding, CheckStanding
from bansou.checks.queries import answers_of
from bansou.checks.services import NewCheck, answered_at_noon, record_checks
from bansou.domain.framework import Framework
from bansou.domain.scoring import Answer, IncompleteAnswers
from bansou.frameworks.models import FrameworkVersion
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")


def rows(version: FrameworkVersion, framework: Framework, people: list[User], typist: User) -> list[NewCheck]:
    return [
        NewCheck(
            version=version,
            answers=dict.fromkeys(framework.item_codes(), (n % 2, 1)),
            answered_at=dt.datetime(2026, 3, 31, 12, tzinfo=JST),
            owner_id=person.pk,
            entered_by_id=typist.pk,
            entered_by_name=typist.display_name,
        )
        for n, person in enumerate(people)
    ]


def test_checks_are_recorded_with_answers_standings_and_who_typed_them_in(
    version: FrameworkVersion, framework: Framework, owner: User
) -> None:
    people = [make_user(f"r{n}", f"記録 {n}") for n in range(2)]
    checks = record_checks(rows(version, framework, people, owner))
    assert [c.owner_id for c in checks] == [p.pk for p in people]
    first = Check.objects.get(pk=checks[0].pk)
    assert (first.fiscal_year, first.entered_by_id, first.entered_by_name) == (2025, owner.pk, "伴走 花子")
    assert answers_of(first)[framework.item_codes()[0]] == Answer(0, 1)
    assert CheckStanding.objects.filter(check_record__in=checks).count() == 2 * len(framework.elements)
    assert CheckLabelStanding.objects.filter(check_record__in=checks).count() == 2 * (
        7 + 9
    )  # A-1…A-7, C-1…C-9


def test_the_queries_do_not_grow_with_the_rows(
    version: FrameworkVersion, framework: Framework, owner: User
) -> None:
    counts = []
    for size in (1, 4):
        people = [make_user(f"q{size}-{n}", f"数 {n}") for n in range(size)]
        with CaptureQueriesContext(connection) as queries:
            record_checks(rows(version, framework, people, owner))
        counts.append(len(queries))
    assert counts == [5, 5]  # the items' ids; checks, answers, element standings, label standings


def test_an_incomplete_row_records_nothing(
    version: FrameworkVersion, framework: Framework, owner: User
) -> None:
    complete, incomplete = rows(version, framework, [owner, make_user("x", "未記入")], owner)
    missing = framework.item_codes()[5]
    answers = {c: a for c, a in incomplete.answers.items() if c != missing}
    with pytest.raises(IncompleteAnswers):
        record_checks([complete, NewCheck(version, answers, incomplete.answered_at, owner_id=owner.pk)])
    assert not Check.objects.exists() and not CheckAnswer.objects.exists()


def test_paper_checks_are_dated_noon_of_the_day_answered_or_now_if_earlier() -> None:
    day = dt.date(2026, 4, 1)
    assert answered_at_noon(day, dt.datetime(2026, 4, 2, tzinfo=JST)) == dt.datetime(
        2026, 4, 1, 12, tzinfo=JST
    )
    morning = dt.datetime(2026, 4, 1, 9, tzinfo=JST)
    assert answered_at_noon(day, morning) == morning
