"""manage.py backup / restore: a restored database serves the same results (on SQLite and on
PostgreSQL, whichever the suite runs on: the commands use the application's own connection)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from bansou.checks.models import Check, CheckStanding
from bansou.domain.framework import Framework
from bansou.teams.models import Team
from tests.teams.conftest import build_world

pytestmark = pytest.mark.django_db(transaction=True)  # backup and restore see committed data only

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture(autouse=True)
def quick_passwords(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def served(clients: dict[str, Client], check: Check, team: Team) -> dict[str, object]:
    """What the owner's result page, the lead's team page and the check's standings say."""

    def page(persona: str, name: str, public_id: object) -> str | int:
        response = clients[persona].get(reverse(name, args=[public_id]))
        if response.status_code != 200:
            return response.status_code
        return TOKEN.sub("", response.content.decode())

    return {
        "result": page("owner", "checks:result", check.public_id),
        "team": page("lead", "teams:detail", team.public_id),
        "standings": sorted(CheckStanding.objects.filter(check_record_id=check.pk).values_list()),
    }


def test_a_restored_database_serves_the_same_results(
    municipalities: object, framework: Framework, submitted: Callable[..., Check], tmp_path: Path
) -> None:
    world = build_world(framework, submitted)
    check, team = world.checks["owner"], world.team
    clients = {persona: world.client(persona) for persona in ("owner", "lead")}  # sessions backed up too
    before = served(clients, check, team)
    assert isinstance(before["team"], str) and "伴走 花子" in before["team"]
    assert isinstance(before["result"], str) and before["standings"]

    file = tmp_path / "bansou.backup"
    call_command("backup", str(file))
    assert file.stat().st_mode & 0o777 == 0o600

    team.delete()  # a team gone, and a person who deleted their account with their checks
    world.people["owner"].delete()
    gone = served(clients, check, team)
    assert gone["team"] == 404 and not gone["standings"]

    call_command("restore", str(file), "--noinput")
    assert served(clients, check, team) == before
    assert Check.objects.count() == len(world.checks)


def test_files_that_are_no_backup_are_refused(db: None, tmp_path: Path) -> None:
    file = tmp_path / "not-a-backup"
    file.write_bytes(b"bansou" * 100)
    with pytest.raises(CommandError):
        call_command("restore", str(file), "--noinput")
    with pytest.raises(CommandError, match="既にあります"):
        call_command("backup", str(file))
