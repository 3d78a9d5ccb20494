"""The profiles app's migration: its tables and constraints come with it and go when it is taken back
(tests/test_migrations.py also takes the app back to nothing and forward again, with every other
table filled)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = {
    "profiles_supporterprofile",
    "profiles_supporterprofile_prefectures",
    "profiles_supporterprofile_municipalities",
    "profiles_unavailability",
}


def migrate(targets: list[tuple[str, str | None]] | None = None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.fixture
def latest_after() -> Iterator[None]:
    try:
        yield
    finally:
        migrate()


def constraints(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


def test_the_tables_and_their_rules_come_and_go_with_the_migration(latest_after: None) -> None:
    assert set(connection.introspection.table_names()) >= TABLES
    assert "unavailable_end_after_start" in constraints("profiles_unavailability")
    assert "profile_capacity_range" in constraints("profiles_supporterprofile")

    migrate([("profiles", None)])
    assert not TABLES & set(connection.introspection.table_names())

    migrate()
    assert set(connection.introspection.table_names()) >= TABLES
