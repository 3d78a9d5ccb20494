"""TRUSTED_PROXIES: production does not start until the operator has said which proxies' X-Forwarded-For
to believe, or none (issue 15, item 3). Read from config/settings.py in a fresh process, as a
deployment reads them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READ = "import json; from config import settings as s; print(json.dumps(s.TRUSTED_PROXIES))"
OURS = ("BANSOU_MODE", "TRUSTED_PROXIES", "PROXY_COUNT", "DJANGO_ALLOW_ASYNC_UNSAFE")


def settings_with(**env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in OURS}
    base["SECRET_KEY"] = "x" * 20 + "-a-secret-key-for-reading-the-settings-0123456789"
    return subprocess.run(
        [sys.executable, "-c", READ],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_decision() -> None:
    result = settings_with(BANSOU_MODE="production")

    assert result.returncode != 0
    assert "ImproperlyConfigured: TRUSTED_PROXIES must be set when BANSOU_MODE=production" in result.stderr
    assert "TRUSTED_PROXIES=none" in result.stderr


def test_manage_py_refuses_too() -> None:
    env = {k: v for k, v in os.environ.items() if k not in OURS}
    env.update(
        {"BANSOU_MODE": "production", "SECRET_KEY": "y" * 60, "DJANGO_SETTINGS_MODULE": "config.settings"}
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )

    assert result.returncode != 0
    assert "TRUSTED_PROXIES must be set" in result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"BANSOU_MODE": "production", "TRUSTED_PROXIES": "none"}, []),
        ({"BANSOU_MODE": "production", "TRUSTED_PROXIES": " None "}, []),
        (
            {"BANSOU_MODE": "production", "TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.10,2001:db8::/32,"},
            ["10.0.0.0/8", "192.0.2.10/32", "2001:db8::/32"],
        ),
        ({"BANSOU_MODE": "production", "TRUSTED_PROXIES": "172.16.5.1/12"}, ["172.16.0.0/12"]),
        ({"BANSOU_MODE": "local"}, []),  # `make run`: nothing in front, the header never believed
        ({"BANSOU_MODE": "local", "TRUSTED_PROXIES": "127.0.0.1"}, ["127.0.0.1/32"]),
    ],
)
def test_a_decision_is_read(env: dict[str, str], expected: list[str]) -> None:
    result = settings_with(**env)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected


@pytest.mark.parametrize("value", ["10.0.0.0/33", "proxy.example.lg.jp", "none,10.0.0.0/8", "10.0.0.1:8080"])
def test_a_value_that_is_no_network_is_refused(value: str) -> None:
    result = settings_with(BANSOU_MODE="production", TRUSTED_PROXIES=value)

    assert result.returncode != 0
    assert "TRUSTED_PROXIES must be comma-separated networks (CIDRs) or none" in result.stderr


def test_the_old_proxy_count_is_refused_not_silently_ignored() -> None:
    result = settings_with(BANSOU_MODE="production", TRUSTED_PROXIES="none", PROXY_COUNT="1")

    assert result.returncode != 0
    assert "PROXY_COUNT is no longer read: set TRUSTED_PROXIES" in result.stderr
