"""The retention schedule: each kind of record, by its age, kept or removed by ``apply_retention``;
the steps a version lacks (the login records' purge, from another change) are named, not failed."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.utils import timezone

from bansou.accounts.models import AuditEntry
from bansou.checks.access import Holder
from bansou.checks.models import Draft
from bansou.checks.services import get_or_start_draft
from bansou.frameworks.models import FrameworkVersion
from bansou.ops.management.commands.apply_retention import SCHEDULE
from bansou.teams.models import AccessLog
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)

# (kind of record, age in days, kept?)
AGES = [
    ("visitor_draft", 13, True),
    ("visitor_draft", 15, False),
    ("draft", 364, True),
    ("draft", 366, False),
    ("access_log", 1094, True),
    ("access_log", 1096, False),
    ("audit", 1094, True),
    ("audit", 1096, False),
]


def _make(kind: str, n: int, at: dt.datetime, version: FrameworkVersion) -> Callable[[], bool]:
    """Makes one record of ``kind`` dated ``at``; returns a way to ask whether it is still there."""
    person = make_user(f"p{n}", f"利用者 {n}")
    if kind in ("draft", "visitor_draft"):
        holder = Holder(anon_key=f"v{n}") if kind == "visitor_draft" else Holder(user_id=person.pk)
        draft = get_or_start_draft(holder=holder, version=version)
        Draft.objects.filter(pk=draft.pk).update(updated_at=at)
        return Draft.objects.filter(pk=draft.pk).exists
    if kind == "access_log":
        entry = AccessLog.objects.create(
            subject=person, viewer=person, viewer_name="見た人", team_label="t", what="dialogue", at=at
        )
        return AccessLog.objects.filter(pk=entry.pk).exists
    audit = AuditEntry.objects.create(
        actor_name="職員", subject=person, kind="pool_person", target="x", at=at
    )
    return AuditEntry.objects.filter(pk=audit.pk).exists


def test_apply_retention_keeps_and_removes_by_age(version: FrameworkVersion) -> None:
    now = timezone.now()
    there = [
        (kind, age, kept, _make(kind, n, now - age * DAY, version))
        for n, (kind, age, kept) in enumerate(AGES)
    ]
    out = io.StringIO()

    call_command("apply_retention", stdout=out)

    assert [(kind, age, exists()) for kind, age, _, exists in there] == [
        (k, a, kept) for k, a, kept, _ in there
    ]
    said = out.getvalue()
    for name, _what in SCHEDULE:
        assert name in said


@pytest.mark.parametrize(("hours", "kept"), [(30 * 24 - 1, True), (30 * 24 + 1, False)])
def test_the_periods_are_settings(
    version: FrameworkVersion, settings: object, hours: int, kept: bool
) -> None:
    settings.DRAFT_RETENTION_DAYS = settings.ACCESS_LOG_RETENTION_DAYS = 30  # type: ignore[attr-defined]
    at = timezone.now() - dt.timedelta(hours=hours)
    exists = [_make(kind, n, at, version) for n, kind in enumerate(["draft", "access_log", "audit"])]
    for name in ("purge_drafts", "purge_access_logs", "purge_audit_log"):
        call_command(name, stdout=io.StringIO())
    assert [e() for e in exists] == [kept] * 3
