"""The defaults of who may sign up and who may register an organisation: closed in production, open
for `make run`. Read from config/settings.py in a fresh process, as a deployment reads them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READ = "import json; from config import settings as s; print(json.dumps([s.SIGNUP_MODE, s.ORG_REGISTRATION]))"
OURS = ("BANSOU_MODE", "BANSOU_SIGNUP", "BANSOU_ORG_REGISTRATION", "DJANGO_ALLOW_ASYNC_UNSAFE", "PROXY_COUNT")


def settings_with(**env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in OURS}
    base["SECRET_KEY"] = (
        "x" * 20 + "-a-secret-key-for-reading-the-settings-0123456789"
    )  # none written to var/
    base["TRUSTED_PROXIES"] = "none"  # production asks for a decision (tests/accounts/test_proxy_settings.py)
    return subprocess.run(
        [sys.executable, "-c", READ],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"BANSOU_MODE": "production"}, ["invite", "admins"]),
        ({"BANSOU_MODE": "local"}, ["open", "anyone"]),
        ({}, ["open", "anyone"]),  # local is the default mode (`make run`)
        ({"BANSOU_MODE": "production", "BANSOU_SIGNUP": "open"}, ["open", "admins"]),
        ({"BANSOU_MODE": "production", "BANSOU_ORG_REGISTRATION": "anyone"}, ["invite", "anyone"]),
        (
            {"BANSOU_MODE": "local", "BANSOU_SIGNUP": "invite", "BANSOU_ORG_REGISTRATION": "admins"},
            ["invite", "admins"],
        ),
    ],
)
def test_production_defaults_to_invitations_and_administrators(
    env: dict[str, str], expected: list[str]
) -> None:
    result = settings_with(**env)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected


@pytest.mark.parametrize(
    ("name", "value"), [("BANSOU_SIGNUP", "closed"), ("BANSOU_ORG_REGISTRATION", "nobody")]
)
def test_an_unknown_value_refuses_to_start(name: str, value: str) -> None:
    result = settings_with(**{name: value})

    assert result.returncode != 0
    assert f"{name} must be" in result.stderr
