"""The person's second factor: enrolment, recovery codes, removal, and who must have one."""

from __future__ import annotations

import math
import secrets
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from bansou.accounts.models import User
from bansou.accounts.session_limits import staff_of_an_organisation

RECOVERY_CODES = 10
RECOVERY_DIGITS = 12  # digits only: read and typed without confusing letters; written in groups of 4
NAME = "認証アプリ"


def must_have(user: Any) -> bool:
    """Whether this person may use the site only with a second factor (the setting, for staff)."""
    if not settings.OTP_REQUIRED_FOR_STAFF or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or staff_of_an_organisation(int(user.pk)))


def app_of(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they have one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_one(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def pending_app(user: User) -> TOTPDevice:
    """The app being added (the same key on every load of the page, so a scanned code keeps working)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=NAME, confirmed=False)


def key_groups(device: TOTPDevice) -> list[str]:
    """The key as an authenticator app takes it typed in (base32), in groups of four."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return [key[i : i + 4] for i in range(0, len(key), 4)]


def qr_svg(device: TOTPDevice) -> str:
    """The key's ``otpauth://`` address as a QR code: an SVG drawn here, put in the page as it is (no
    image address, no outside service)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return str(image.to_string(encoding="unicode"))


@transaction.atomic
def confirm(device: TOTPDevice) -> list[str]:
    """The app whose code was right becomes the person's only one; new recovery codes (shown once)."""
    TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    """Replaces the person's recovery codes (each works once); the codes, to be shown once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "回復コード"})
    device.token_set.all().delete()
    codes = [_digits(RECOVERY_DIGITS) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _digits(count: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(count))


def written(code: str) -> str:
    """A recovery code as shown: 1234-5678-9012."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def pause_left(user: User, only: Device | None = None) -> int:
    """Seconds before django-otp lets the person's devices (or ``only``) be tried again: after each
    wrong code it waits 1, 2, 4, 8 … seconds (across addresses, where the login throttle counts per
    address). 0: a code may be tried now."""
    found = [only] if only is not None else [*_confirmed(TOTPDevice, user), *_confirmed(StaticDevice, user)]
    now = timezone.now()
    waits = [0]
    for device in found:
        allowed, data = device.verify_is_allowed()
        if not allowed and data and "locked_until" in data:
            waits.append(math.ceil((data["locked_until"] - now).total_seconds()))
    return max(waits)


def _confirmed(model: Any, user: User) -> list[Device]:
    return list(model.objects.filter(user=user, confirmed=True))


def is_recovery_code(device: object) -> bool:
    return isinstance(device, StaticDevice)


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user).count())


@transaction.atomic
def remove(user: User) -> None:
    """No second factor any more: the app and the recovery codes go."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@dataclass(frozen=True)
class State:
    """What the person's page says about their second factor."""

    enabled: bool
    since: datetime | None
    last_used: datetime | None
    codes_left: int
    required: bool


def state_of(user: User) -> State:
    app = app_of(user)
    return State(
        enabled=app is not None,
        since=app.created_at if app else None,
        last_used=app.last_used_at if app else None,
        codes_left=recovery_codes_left(user),
        required=must_have(user),
    )
