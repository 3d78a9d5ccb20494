"""The first administrator can be made without questions, with the variables the README gives."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from bansou.accounts.models import User

pytestmark = pytest.mark.django_db


def test_createsuperuser_noinput_with_the_documented_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "admin")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-pass-phrase-2026")
    monkeypatch.setenv("DJANGO_SUPERUSER_DISPLAY_NAME", "県庁 太郎")
    call_command("createsuperuser", interactive=False, verbosity=0)
    made = User.objects.get(username="admin")
    assert made.is_superuser and made.display_name == "県庁 太郎"
    assert made.check_password("a-long-pass-phrase-2026")
