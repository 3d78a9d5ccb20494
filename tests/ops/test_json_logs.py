"""Production logs: one JSON object per line, with the request's id and the person's user id, and
never their name or login ID (django-axes' lines about failed logins included)."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from bansou.accounts.models import User
from bansou.ops.logs import JsonFormatter
from tests.conftest import make_user

ROOT = Path(__file__).resolve().parent.parent.parent

FIELDS = {"timestamp", "level", "logger", "message", "request_id", "user_id"}
ACCESS = FIELDS | {"method", "view", "status", "duration_ms"}
LOGIN_ID, NAME, FURIGANA = "login-id-hanako", "記録 花子", "キロク ハナコ"


class Lines(io.StringIO):
    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.getvalue().splitlines()]


@pytest.fixture
def lines(settings: Settings) -> Iterator[Lines]:
    """Every line the application logs at INFO and above, as production writes it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    stream = Lines()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", "axes", "bansou.access")}
    root.addHandler(handler)
    for name in levels:
        logging.getLogger(name).setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.fixture
def person(db: None) -> User:
    return make_user(LOGIN_ID, NAME, furigana=FURIGANA)


def test_a_line_outside_a_request() -> None:
    record = logging.LogRecord("bansou.test", logging.WARNING, __file__, 1, "%d 件", (3,), None)
    line = json.loads(JsonFormatter().format(record))
    assert set(line) == FIELDS
    assert line["message"] == "3 件" and line["level"] == "WARNING" and line["logger"] == "bansou.test"
    assert line["request_id"] is None and line["user_id"] is None
    assert line["timestamp"].endswith("+00:00")


def test_an_exception_without_its_message() -> None:
    try:
        raise ValueError(f"Key (username)=({LOGIN_ID}) already exists")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "失敗", (), sys.exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert "builtins.ValueError" in line["exception"] and "test_json_logs.py" in line["exception"]
    assert LOGIN_ID not in json.dumps(line)


def test_lines_of_a_request_carry_its_id_and_the_user_id(lines: Lines, person: User) -> None:
    client = Client()
    client.force_login(person)
    lines.truncate(0)
    lines.seek(0)
    response = client.get(reverse("checks:result", args=[uuid.uuid4()]))
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    records = lines.records()
    assert records and all(r["request_id"] == request_id for r in records)
    not_found = next(r for r in records if r["logger"] == "django.request")
    assert set(not_found) == FIELDS and not_found["level"] == "WARNING"
    assert not_found["user_id"] == person.pk
    access = next(r for r in records if r["logger"] == "bansou.access")
    assert set(access) == ACCESS
    assert access["view"] == "checks:result" and access["status"] == 404 and access["method"] == "GET"
    assert access["user_id"] == person.pk


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [("lb-0123456789abcdef", True), ("short", False), ('x" ,"user_id": 1', False), ("a" * 65, False)],
)
def test_an_incoming_request_id_is_kept_only_when_safe(
    client: Client, db: None, incoming: str, kept: bool
) -> None:
    answered = client.get(reverse("accounts:login"), HTTP_X_REQUEST_ID=incoming)["X-Request-ID"]
    assert (answered == incoming) is kept
    assert len(answered) == 32 or kept


def test_failed_logins_never_name_the_login_id(lines: Lines, person: User) -> None:
    client = Client()
    for _ in range(6):  # the fifth failure locks the login ID out
        client.post(reverse("accounts:login"), {"username": LOGIN_ID, "password": "wrong-password"})
    records = lines.records()
    assert any(r["logger"].startswith("axes") and "Locking out" in r["message"] for r in records)
    assert {r["status"] for r in records if r["logger"] == "bansou.access"} >= {200, 429}
    text = lines.getvalue()
    for said in (LOGIN_ID, NAME, FURIGANA, "記録", "hanako"):
        assert said not in text


def test_production_writes_one_json_object_per_line() -> None:
    left_out = ("DJANGO_ALLOW_ASYNC_UNSAFE", "BANSOU_LOG_FORMAT", "LOG_LEVEL")
    env = {
        **{k: v for k, v in os.environ.items() if k not in left_out},
        "BANSOU_MODE": "production",
        "SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-log-test-0123456789",
        "ALLOWED_HOSTS": "bansou.example.lg.jp",
        "TRUSTED_PROXIES": "none",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    code = "import logging; logging.getLogger('bansou.test').warning('%s 件', 3)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    (line,) = result.stderr.splitlines()
    record = json.loads(line)
    assert set(record) == FIELDS and record["message"] == "3 件" and record["logger"] == "bansou.test"
