"""django-axes' login records (login id, address, browser) go with the account, whatever the case the
login id was typed in, and everyone's go after ``LOGIN_RECORD_DAYS`` days (``purge_login_records``)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as LoginLog
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from bansou.accounts.deletion import delete_account
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
MODELS = (LoginLog, AccessFailureLog, AccessAttempt)


def _record(model: Any, username: str, address: str = "192.0.2.1") -> Any:
    extra = {"get_data": "", "post_data": "", "failures_since_start": 1} if model is AccessAttempt else {}
    return model.objects.create(username=username, ip_address=address, user_agent="Mozilla/5.0", **extra)


def _names(model: Any) -> set[str]:
    return set(model.objects.values_list("username", flat=True))


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_deleting_an_account_erases_its_login_records_in_any_case(model: Any) -> None:
    person = make_user("takahashi", "髙橋 吉子")
    make_user("Suzuki", "鈴木 一郎")
    make_user("SUZUKI", "鈴木 二郎")  # another account whose login id differs only in case
    for name in ("takahashi", "Takahashi", "TAKAHASHI", "takahashi2", "Suzuki", "SUZUKI", "suzuki"):
        _record(model, name)
    delete_account(person)
    assert _names(model) == {"takahashi2", "Suzuki", "SUZUKI", "suzuki"}


def test_a_real_login_and_failure_are_erased_with_the_account() -> None:
    person = make_user("sato", "佐藤 花子")
    client = Client()
    client.post(reverse("accounts:login"), {"username": "Sato", "password": "wrong-wrong-1"})
    client.post(reverse("accounts:login"), {"username": "sato", "password": "pass-word-1234"})
    assert LoginLog.objects.filter(username="sato").exists()
    assert AccessAttempt.objects.filter(username="Sato").exists()  # the success resets "sato" only
    delete_account(person)
    assert not any(model.objects.exists() for model in MODELS)


@pytest.mark.parametrize(
    ("days", "age", "kept"), [(90, 89, True), (90, 91, False), (30, 31, False), (30, 29, True)]
)
def test_login_records_are_purged_after_the_retention_period(days: int, age: int, kept: bool) -> None:
    now = dt.datetime(2026, 9, 1, 3, 0, tzinfo=dt.UTC)
    with time_machine.travel(now - dt.timedelta(days=age), tick=False):
        for model in MODELS:
            _record(model, "old")
    with time_machine.travel(now - dt.timedelta(hours=1), tick=False):
        for model in MODELS:
            _record(model, "recent")
    with time_machine.travel(now, tick=False), override_settings(LOGIN_RECORD_DAYS=days):
        out = io.StringIO()
        call_command("purge_login_records", stdout=out)
    for model in MODELS:
        assert _names(model) == ({"old", "recent"} if kept else {"recent"})
    assert f"{days}日より前のログインの記録 {0 if kept else 1} 件" in out.getvalue()
