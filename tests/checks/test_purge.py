"""Visitors' records go once their session can no longer reach them; accounts' records stay."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.core.management import call_command

from bansou.accounts.models import User
from bansou.checks.access import Holder
from bansou.checks.models import Check, Draft
from bansou.checks.services import get_or_start_draft, save_cells, submit_draft
from bansou.domain.framework import Framework
from bansou.frameworks.models import FrameworkVersion
from tests.conftest import all_edits

pytestmark = pytest.mark.django_db


def test_purges_only_visitor_records_older_than_a_session(
    version: FrameworkVersion, framework: Framework, owner: User, submitted: Callable[..., Check]
) -> None:
    old = dt.datetime(2025, 5, 1, tzinfo=dt.UTC)
    with time_machine.travel(old, tick=False):
        visitor = Holder(anon_key="old-visitor")
        draft = get_or_start_draft(holder=visitor, version=version)
        save_cells(draft=draft, edits=all_edits(framework))
        submit_draft(draft=draft, holder=visitor)
        get_or_start_draft(holder=visitor, version=version)
        submitted(owner)
    with time_machine.travel(old + dt.timedelta(days=20), tick=False):
        recent = get_or_start_draft(holder=Holder(anon_key="recent-visitor"), version=version)

        call_command("purge_visitors")

    assert list(Draft.objects.all()) == [recent]
    assert list(Check.objects.values_list("owner", flat=True)) == [owner.pk]
