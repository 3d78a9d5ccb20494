"""Feedback's fixtures: a supporter with a submitted check, signed in."""

from __future__ import annotations

import pytest
from django.test import Client

from bansou.accounts.models import User
from bansou.checks.access import Holder
from bansou.frameworks.models import FrameworkVersion
from tests.checks.test_access import make_check


@pytest.fixture
def supporter(version: FrameworkVersion) -> tuple[User, Client]:
    user = User.objects.create_user(username="sato", password="pw-0123456789", display_name="佐藤 花子")
    make_check(version, Holder(user_id=user.pk))
    client = Client()
    client.force_login(user)
    return user, client
