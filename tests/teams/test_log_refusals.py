"""A refusal is logged as one line, without the traceback of the ``PermissionDenied`` (issue 13);
a fault keeps its traceback."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from tests.teams.conftest import World

pytestmark = pytest.mark.django_db


def test_a_refusal_is_one_line(caplog: pytest.LogCaptureFixture, world: World) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = world.client("member").get(reverse("teams:settings", args=[world.team.public_id]))
    assert response.status_code == 403
    (record,) = [r for r in caplog.records if getattr(r, "status_code", 0) == 403]
    assert record.name == "django.request" and record.exc_info is None
    assert "Traceback" not in caplog.text


def test_a_fault_keeps_its_traceback() -> None:
    (refusals,) = list(logging.getLogger("django.request").filters)
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Server Error", None, None)
    record.status_code = 500
    record.exc_info = (RuntimeError, RuntimeError("x"), None)
    assert refusals.filter(record)
    assert record.exc_info is not None
