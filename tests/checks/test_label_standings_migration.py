"""Checks stored before label standings get them by migration, and the migrations go back and forth.

As ``tests/test_migrations.py`` does for the whole database: the checks app is taken back to the
migration before label standings (0004), checks are made there through the historical models (with
their answers, as checks were stored then), and migrated forward: each gets the standings on the nine
C labels (0006) and the seven A labels (0007) that submitting stores today
(``coverage.label_standings_of``). Back to 0006 (the C rows alone), 0005 (the table, empty) and 0004
(no table), and forward again: the same rows. The test leaves the database at the
latest migrations.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.apps.registry import Apps
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bansou.checks.models import CheckLabelStanding
from bansou.domain.coverage import label_standings_of
from bansou.domain.scoring import Answer, score
from bansou.frameworks.models import FrameworkVersion
from bansou.frameworks.queries import framework_of
from bansou.frameworks.services import load_bundled_frameworks

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("checks", "0004_entered_by")
TABLE = ("checks", "0005_checklabelstanding")
C_ONLY = ("checks", "0006_backfill_label_standings")
AT = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)
FIELDS = ("label", "understood_count", "practised_count", "total", "understood", "practised")


def migrate(target: tuple[str, str]) -> Apps:
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state([target]).apps


def latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def before(transactional_db: None) -> Iterator[Apps]:
    try:
        yield migrate(BEFORE)
    finally:
        latest()


def stored() -> dict[int, list[tuple[object, ...]]]:
    rows: dict[int, list[tuple[object, ...]]] = {}
    for check_id, *values in CheckLabelStanding.objects.order_by("check_record_id", "label").values_list(
        "check_record_id", *FIELDS
    ):
        rows.setdefault(check_id, []).append(tuple(values))
    return rows


def test_checks_stored_before_label_standings_get_them_and_the_migrations_reverse(before: Apps) -> None:
    load_bundled_frameworks(settings.FRAMEWORK_DATA_DIR)
    version = FrameworkVersion.objects.get(slug="leaflet", active=True)
    framework = framework_of(version)
    Check = before.get_model("checks", "Check")
    CheckAnswer = before.get_model("checks", "CheckAnswer")
    Item = before.get_model("frameworks", "Item")
    items = dict(Item.objects.filter(framework_id=version.pk).values_list("code", "pk"))
    # Three people's answers: all ○; 協働するスキル (C-4, no element) not practised; element 4 (C-5) ×.
    answer_sets = [
        {code: Answer(1, 1) for code in framework.item_codes()},
        {code: Answer(1, 0 if code == "C-4" else 1) for code in framework.item_codes()},
        {
            code: Answer(0 if code == "C-5" else 1, 0 if code == "C-5" else 1)
            for code in framework.item_codes()
        },
    ]
    made = []
    for n, answers in enumerate(answer_sets):
        check = Check.objects.create(
            anon_key=f"visitor-{n}", framework_id=version.pk, submitted_at=AT, fiscal_year=2025,
            draft_public_id=f"00000000-0000-0000-0000-00000000000{n}",
        )  # fmt: skip
        CheckAnswer.objects.bulk_create(
            CheckAnswer(
                check_record=check, item_id=items[code], understanding=a.understanding, practice=a.practice
            )
            for code, a in answers.items()
        )
        made.append(check.pk)
    # A check whose answers miss an item (none should exist) has no result: it gets nothing.
    partial = Check.objects.create(
        anon_key="visitor-x", framework_id=version.pk, submitted_at=AT, fiscal_year=2025,
        draft_public_id="00000000-0000-0000-0000-0000000000ff",
    )  # fmt: skip
    CheckAnswer.objects.create(check_record=partial, item_id=items["C-1"], understanding=1, practice=1)

    latest()
    expected = {
        pk: sorted(
            (code, s.understanding.count, s.practice.count, s.practice.total, s.understood, s.practised)
            for tier in ("A", "C")
            for code, s in label_standings_of(framework, score(framework, answers), tier).items()
        )
        for pk, answers in zip(made, answer_sets, strict=True)
    }
    assert stored() == expected
    assert [row[0] for row in expected[made[1]] if not row[5]] == ["C-4"]
    assert [row[0] for row in expected[made[2]] if not row[5]] == ["C-5"]
    assert all(len(rows) == 16 for rows in expected.values())

    migrate(C_ONLY)  # the A backfill reversed: the C rows stay
    assert {pk: [r for r in rows if r[0].startswith("C-")] for pk, rows in expected.items()} == stored()
    latest()
    assert stored() == expected

    migrate(TABLE)  # the backfill reversed: the table stays, empty
    assert not CheckLabelStanding.objects.exists()
    latest()
    assert stored() == expected

    migrate(BEFORE)  # the table reversed too
    assert "checks_checklabelstanding" not in connection.introspection.table_names()
    latest()
    assert stored() == expected
