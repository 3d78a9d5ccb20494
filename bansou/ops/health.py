"""``/healthz``: may a load balancer send this server requests?

200 with ``{"status": "ok", "checks": {...}}`` when the database answers, every migration on disk is
applied and a framework version is active (the check page needs one); otherwise 503, with the
check that failed: ``failed`` (the database did not answer), ``pending`` (migrations not applied),
``missing`` (no framework loaded), ``unknown`` (not asked, the database being down).

``HealthzMiddleware`` answers it below ``RequestIdMiddleware`` and above everything else: a load
balancer asks by the server's own address over plain HTTP, so the host check and the HTTPS
redirect must not stand in the way, and no session, cookie or login is involved. It asks a fixed
handful of queries (``SELECT 1``, the migration table, one ``EXISTS``) and is never cached.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse

from bansou.frameworks.models import FrameworkVersion

PATH = "/healthz"
OK = "ok"
log = logging.getLogger("bansou.health")


def checks(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """Each check's state, in the order they depend on each other."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return {"database": "failed", "migrations": "unknown", "framework": "unknown"}
    found = {"database": OK}
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        found["migrations"] = "pending" if plan else OK
        loaded = FrameworkVersion.objects.using(connection.alias).filter(active=True).exists()
        found["framework"] = OK if loaded else "missing"
    except DatabaseError:  # a table missing: a database never migrated
        found.setdefault("migrations", "failed")
        found.setdefault("framework", "unknown")
    return found


def healthz(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        response = HttpResponse(status=405)
        response["Allow"] = "GET, HEAD"
    else:
        found = checks(connections[DEFAULT_DB_ALIAS])
        failed = [name for name, state in found.items() if state != OK]
        if failed:
            log.warning("healthz: %s", ", ".join(f"{name}={found[name]}" for name in failed))
        body = {"status": "unavailable" if failed else OK, "checks": found}
        response = JsonResponse(body, status=503 if failed else 200)
        response.healthy_probe = not failed  # type: ignore[attr-defined]
        if request.method == "HEAD":
            response.content = b""
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthzMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == PATH:
            return healthz(request)
        return self.get_response(request)
