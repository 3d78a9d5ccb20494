"""Two requests at the same moment, on two real database connections (PostgreSQL).

SQLite serialises writers with BEGIN IMMEDIATE, one connection at a time; the same code paths
are covered there by the sequential tests in test_sheet.py and test_autosave.py.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import pytest
from django.db import connection

from bansou.accounts.models import User
from bansou.checks.access import Holder
from bansou.checks.models import Check, DraftCell
from bansou.checks.services import get_or_start_draft, save_cells, submit_draft
from bansou.domain.drafts import Edit, Outcome
from bansou.domain.framework import Axis, Framework
from bansou.frameworks.models import FrameworkVersion
from tests.conftest import all_edits

pytestmark = pytest.mark.django_db(transaction=True)
T = TypeVar("T")


def at_once(*calls: Callable[[], T]) -> list[T]:
    """Runs the calls in threads released together; returns their results in call order."""
    barrier = threading.Barrier(len(calls))
    results: list[T | None] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], T]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results  # type: ignore[return-value]


@pytest.fixture(autouse=True)
def _needs_a_server_database() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("two simultaneous connections need PostgreSQL (run with DATABASE_URL)")


def test_two_simultaneous_submits_make_one_check(
    version: FrameworkVersion, framework: Framework, owner: User
) -> None:
    holder = Holder(user_id=owner.pk)
    draft = get_or_start_draft(holder=holder, version=version)
    save_cells(draft=draft, edits=all_edits(framework))

    first, second = at_once(
        lambda: submit_draft(draft=draft, holder=holder), lambda: submit_draft(draft=draft, holder=holder)
    )

    assert first.pk == second.pk
    assert Check.objects.count() == 1


def test_two_tabs_saving_one_cell_at_once_save_one_and_refuse_the_other(
    version: FrameworkVersion, owner: User
) -> None:
    draft = get_or_start_draft(holder=Holder(user_id=owner.pk), version=version)

    results = at_once(
        lambda: save_cells(draft=draft, edits=[Edit("2-1", Axis.PRACTICE, 1, 0)]),
        lambda: save_cells(draft=draft, edits=[Edit("2-1", Axis.PRACTICE, 0, 0)]),
    )

    outcomes = sorted(result[0].outcome for result in results)
    assert outcomes == sorted([Outcome.SAVED, Outcome.CONFLICT])
    saved = next(r[0] for r in results if r[0].outcome is Outcome.SAVED)
    assert DraftCell.objects.get(draft=draft, item_code="2-1", axis="practice").value == saved.edit.value
