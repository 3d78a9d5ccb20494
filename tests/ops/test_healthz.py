"""/healthz: 200 when the database answers, migrations are applied and a framework is loaded;
503 naming the check that failed; never a session, a cookie or a cache, and a fixed few queries."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

from django.db import OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from bansou.frameworks.models import FrameworkVersion

ALL_OK = {"database": "ok", "migrations": "ok", "framework": "ok"}


def ask(client: Client, status: int, **headers: Any) -> dict[str, Any]:
    response = client.get("/healthz", **headers)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Request-ID"]
    assert not response.cookies
    body: dict[str, Any] = json.loads(response.content)
    return body


def test_healthy(
    client: Client, version: FrameworkVersion, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(5):
        body = ask(client, 200)
    assert body == {"status": "ok", "checks": ALL_OK}


def test_asked_by_the_servers_address_over_plain_http(client: Client, version: FrameworkVersion) -> None:
    """A load balancer names no allowed host and comes without HTTPS: neither stands in the way."""
    assert ask(client, 200, HTTP_HOST="10.0.0.7:8000")["status"] == "ok"


def test_no_framework_loaded(client: Client, db: None) -> None:
    body = ask(client, 503)
    assert body == {"status": "unavailable", "checks": {**ALL_OK, "framework": "missing"}}


def test_a_migration_not_applied(client: Client, version: FrameworkVersion) -> None:
    executor = MigrationExecutor(connection)
    app, name = executor.loader.graph.leaf_nodes()[0]
    MigrationRecorder(connection).record_unapplied(app, name)
    body = ask(client, 503)
    assert body == {"status": "unavailable", "checks": {**ALL_OK, "migrations": "pending"}}


def test_database_unreachable(client: Client, db: None) -> None:
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("connection refused")):
        body = ask(client, 503)
    assert body == {
        "status": "unavailable",
        "checks": {"database": "failed", "migrations": "unknown", "framework": "unknown"},
    }


def test_head_and_other_methods(client: Client, version: FrameworkVersion) -> None:
    head = client.head("/healthz")
    assert head.status_code == 200 and head.content == b""
    post = client.post("/healthz")
    assert post.status_code == 405 and post["Allow"] == "GET, HEAD"
    assert post["Cache-Control"] == "no-store"
