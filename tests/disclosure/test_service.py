"""The one disclosure service: one history in the database, whatever the process, organisation or
account (issue 12)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from uuid import uuid4

import pytest
from django.db import connection
from django.utils import timezone

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.disclosure import services
from bansou.disclosure.models import LedgerState, ShownGroup
from bansou.disclosure.services import Withheld, decide, show
from bansou.domain.aggregates import Hidden, disclose
from bansou.domain.framework import Framework
from bansou.frameworks.models import FrameworkVersion
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def checks(version: FrameworkVersion) -> list[int]:
    """One check each of 21 people (0 is the victim, then blocks of five); no answers: deciding
    reads only who holds which check."""
    people = User.objects.bulk_create(User(username=f"p{n}", display_name=f"参加 {n}号") for n in range(21))
    made = Check.objects.bulk_create(
        Check(
            owner=p, framework=version, submitted_at=timezone.now(), fiscal_year=2025, draft_public_id=uuid4()
        )
        for p in people
    )
    return [c.pk for c in made]


@pytest.fixture
def viewer(db: None) -> User:
    return make_user("viewer", "県庁 主催")


@pytest.fixture(autouse=True)
def _fresh_process() -> Iterator[None]:
    """Each test starts as a newly started app server (nothing in memory)."""
    services._memory = services._Memory()
    yield
    services._memory = services._Memory()


def blocks(ids: list[int]) -> tuple[frozenset[int], ...]:
    return tuple(frozenset(ids[start : start + 5]) for start in (1, 6, 11, 16))


def four(ids: list[int]) -> list[frozenset[int]]:
    p, q, r, w = blocks(ids)
    return [p | q | {ids[0]}, p | r, q | w, r | w]


def test_the_history_is_in_the_database_not_in_the_process(checks: list[int], viewer: User) -> None:
    """Three groups decided by one app server, the fourth by another that has just started: the
    combination is caught all the same."""
    k1, k2, k3, k4 = four(checks)
    assert decide([[k1], [k2], [k3]], viewer.pk) == [None, None, None]
    assert ShownGroup.objects.count() == LedgerState.objects.get().size == 3
    services._memory = services._Memory()  # another process
    assert decide([[k4]], viewer.pk) == [Hidden.COMBINATION]
    assert ShownGroup.objects.count() == 3  # nothing recorded for what was withheld


def test_a_server_that_remembers_catches_up_with_what_others_recorded(
    checks: list[int], viewer: User, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    k1, k2, k3, k4 = four(checks)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        decide([[k1]], viewer.pk)
    remembered = services._memory
    assert remembered.size == 1 and remembered.ledger.shown == (k1,)
    # Another server records two groups; this one still remembers one.
    services._memory = services._Memory()
    decide([[k2], [k3]], viewer.pk)
    services._memory = remembered
    assert decide([[k4]], viewer.pk) == [Hidden.COMBINATION]


def test_a_history_of_another_generation_is_rebuilt(checks: list[int], viewer: User) -> None:
    """A memory from another database (a test's, a restored backup) is never taken for this one's."""
    k1, k2, k3, k4 = four(checks)
    decide([[k1], [k2], [k3]], viewer.pk)
    stale = services._memory
    services._memory = services._Memory(generation="another", size=3, ledger=stale.ledger)
    assert decide([[k4]], viewer.pk) == [Hidden.COMBINATION]


def test_deleted_accounts_leave_the_history_counted(checks: list[int], viewer: User) -> None:
    """The six were shown; the sixth person deletes their account; the five are still withheld."""
    six = frozenset(checks[:6])
    assert decide([[six]], viewer.pk) == [None]
    User.objects.get(checks__pk=checks[0]).delete()
    assert not Check.objects.filter(pk=checks[0]).exists()
    assert ShownGroup.objects.get().checks == sorted(six)
    assert decide([[frozenset(checks[1:6])]], viewer.pk) == [Hidden.DIFFERENCE]


def test_only_checks_typed_in_from_paper_count_as_typed(checks: list[int], viewer: User) -> None:
    """A caller that calls online checks 'typed in' gets no less protection for them."""
    five = frozenset(checks[:5])
    assert decide([[five]], viewer.pk, typed_by=lambda ids: frozenset(checks[:4])) == [None]
    assert ShownGroup.objects.get().checks == sorted(five)  # recorded whole: nothing was typed in


def test_the_viewers_own_checks_are_known_to_them(checks: list[int], viewer: User) -> None:
    mine = Check.objects.get(pk=checks[5])
    mine.owner = viewer
    mine.save()
    assert decide([[frozenset(checks[:6])]], viewer.pk) == [None]
    assert decide([[frozenset(checks[1:6])]], viewer.pk) == [Hidden.TOO_FEW]


def test_show_counts_only_what_it_decided_to_show(
    submitted: Callable[..., Check], viewer: User, framework: Framework, version: FrameworkVersion
) -> None:
    k1, k2, k3, k4 = four([submitted(make_user(f"p{n}", f"参加 {n}号")).pk for n in range(21)])
    figures = show([[k1], [k2], [k3], [k4]], viewer_id=viewer.pk, framework=framework, version=version)
    assert [f.totals is not None for (f,) in figures] == [True, True, True, False]
    assert figures[3][0].withheld is Withheld.COMBINATION and figures[3][0].people == 10
    assert figures[0][0].totals is not None and figures[0][0].totals.people == 11


def test_the_history_has_no_key_to_an_organisation_or_account() -> None:
    """Deleting an organisation (and registering it again) or an account cannot take rows with it."""
    assert [f.name for f in ShownGroup._meta.get_fields() if f.is_relation] == []


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database shares one cache between connections, where a second writer"
    " fails at once instead of waiting (the file database of `make run` waits: IMMEDIATE transactions"
    " and a timeout); CI runs this test on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_two_decisions_at_once_cannot_each_pass_alone(
    checks: list[int], viewer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two organisers at the same moment, each asking for two of the four groups: alone, neither pair
    singles anyone out; together they would. The lock makes one wait for the other (deciding is made
    slow here, so that without the lock both would decide on the history before either recorded)."""
    k1, k2, k3, k4 = four(checks)

    def slowly(*args: Any, **kwargs: Any) -> Any:
        decided = disclose(*args, **kwargs)
        time.sleep(0.5)
        return decided

    monkeypatch.setattr(services, "disclose", slowly)
    start = threading.Barrier(2)
    results: list[list[Hidden | None]] = []

    def organiser(groups: list[frozenset[int]]) -> None:
        start.wait()
        try:
            results.append(decide([[g] for g in groups], viewer.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=organiser, args=(pair,)) for pair in ([k1, k2], [k3, k4])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 2
    recorded = [frozenset(ids) for ids in ShownGroup.objects.values_list("checks", flat=True)]
    assert len(recorded) == 3 and sorted(map(len, recorded)) == [10, 10, 11]
