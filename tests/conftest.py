"""Shared fixtures: the loaded framework, personas with Japanese names, and answer helpers."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import settings as hypothesis_settings

from bansou.accounts.models import User
from bansou.accounts.second_factor import devices
from bansou.checks.access import Holder
from bansou.checks.models import Check, Draft
from bansou.checks.services import get_or_start_draft, save_cells, submit_draft
from bansou.domain.drafts import Edit
from bansou.domain.framework import Axis, Framework
from bansou.frameworks.models import FrameworkVersion
from bansou.frameworks.queries import framework_of
from bansou.frameworks.services import load_bundled_frameworks
from tests.standalone import watch_session

DATA = Path(__file__).parent / "domain" / "data"

# Hypothesis: no per-example deadline anywhere (tests never assert wall-clock times, and a loaded CI
# machine would make one flaky); CI (HYPOTHESIS_PROFILE=ci, set by .ci/run) also derandomises, so a
# run is repeatable, and keeps each test's own example budget. Loaded here, before any test module
# applies its @settings.
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_runtest_logstart(nodeid: str) -> None:
    watch_session().where = nodeid


@pytest.fixture(scope="session", autouse=True)
def _suite_stands_alone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Fails the session, after the last test, if the suite read anything beside the repository.

    See tests/standalone.py: a clone on its own must pass, and CI has the project's shared folder
    beside its clone.
    """
    watch = watch_session()
    with watch.paused():  # pytest lists and cleans its own temporary folders
        basetemp = tmp_path_factory.getbasetemp()
    watch.exempt_folder(basetemp)
    yield
    watch.where = "the end of the session"
    if watch.seen:
        pytest.fail(watch.report(), pytrace=False)


@pytest.fixture
def version(db: None) -> FrameworkVersion:
    """The bundled leaflet framework, loaded as `make run` loads it."""
    load_bundled_frameworks(settings.FRAMEWORK_DATA_DIR)
    return FrameworkVersion.objects.get(slug="leaflet", active=True)


@pytest.fixture
def framework(version: FrameworkVersion) -> Framework:
    return framework_of(version)


def make_user(username: str, display_name: str, **extra: Any) -> User:
    return User.objects.create_user(
        username=username, password="pass-word-1234", display_name=display_name, **extra
    )


@pytest.fixture
def owner(db: None) -> User:
    return make_user("owner", "伴走 花子", furigana="バンソウ ハナコ")


@pytest.fixture
def outsider(db: None) -> User:
    return make_user("outsider", "外部 太郎")


@pytest.fixture
def administrator(db: None) -> User:
    return User.objects.create_superuser(
        username="admin", password="pass-word-1234", display_name="管理 一郎"
    )


def sign_in_verified(client: Client, user: User) -> Client:
    """Signs ``user`` in as both steps of the login do: the password, then the code of an authenticator
    app (added here), so that the session is verified (the admin site asks for it always)."""
    device = devices.pending_app(user)
    devices.confirm(device)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def totp_code(device: TOTPDevice, later: int = 0) -> str:
    """The code the person's authenticator app shows now (or ``later`` seconds from now), computed as
    the app does (django-otp's own RFC 6238 implementation)."""
    app = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    app.time = time.time() + later
    return f"{app.token():0{device.digits}d}"


def no_pause(user: User) -> None:
    """Lifts django-otp's own pause after wrong codes (1, 2, 4 … seconds) on every device of the
    person: for the tests of the login throttle, which is not that pause."""
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user):
            device.throttle_reset()


@pytest.fixture
def owner_client(owner: User) -> Client:
    client = Client()
    client.force_login(owner)
    return client


def all_edits(framework: Framework, value: Callable[[str, Axis], int] = lambda code, axis: 1) -> list[Edit]:
    """An edit for every cell of a fresh draft (base revision 0)."""
    return [
        Edit(item=code, axis=axis, value=value(code, axis), base_revision=0)
        for code in framework.item_codes()
        for axis in Axis
    ]


@pytest.fixture
def submitted(version: FrameworkVersion, framework: Framework) -> Callable[..., Check]:
    """Makes a submitted check for a user, with every answer from ``value``."""

    def make(user: User, value: Callable[[str, Axis], int] = lambda code, axis: 1, **kwargs: object) -> Check:
        holder = Holder(user_id=user.pk)
        draft = get_or_start_draft(holder=holder, version=version)
        save_cells(draft=draft, edits=all_edits(framework, value), **kwargs)  # type: ignore[arg-type]
        return submit_draft(draft=draft, holder=holder, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def owner_draft(version: FrameworkVersion, owner: User) -> Draft:
    return get_or_start_draft(holder=Holder(user_id=owner.pk), version=version)


@pytest.fixture
def municipalities(db: None) -> object:
    """The bundled 市町村 list (47 都道府県, 1,916 市区町村; bulk-loaded), as `make run` loads it."""
    from bansou.places.services import current_list, load_bundled_municipalities

    load_bundled_municipalities()
    return current_list()
