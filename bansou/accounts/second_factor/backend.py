"""The second factor's code, checked as ``authenticate`` checks a password.

``authenticate(request, username=..., otp_token=...)`` goes through every backend in order: django-axes'
first (a locked-out login ID and address is refused, the right code too), the password backend (which
has no password here and passes), then this one. When no backend accepts, Django announces a failed
login and django-axes counts it against the same login ID and address as a wrong password. This
backend never signs anyone in by itself: a login is made by the password's backend once both steps
are done (``views.login_code``).
"""

from __future__ import annotations

import unicodedata

from django.db import transaction
from django.http import HttpRequest
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from bansou.accounts.models import User


def normalised(token: str) -> str:
    """What the person typed, as the devices compare it: full-width digits made half-width (NFKC), and
    spaces and hyphens (a recovery code is shown as 1234-5678-9012) left out."""
    return "".join(c for c in unicodedata.normalize("NFKC", token) if not c.isspace() and c not in "-ー")


class CodeBackend:
    """Accepts a user whose authenticator app's code, or one of whose recovery codes, is right.

    ``otp_device``: the persistent id of one device to check (an app being added, not confirmed yet);
    without it, the person's confirmed app and their recovery codes (used once each).
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        otp_token: str | None = None,
        otp_device: str | None = None,
    ) -> User | None:
        if username is None or otp_token is None:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        token = normalised(otp_token)
        if user is None or not token.isdigit():
            return None
        with transaction.atomic():  # the devices' rows are locked while a code is checked and used up
            for device in self._devices(user, otp_device):
                if device.verify_token(token):
                    user.otp_device = device  # type: ignore[attr-defined]  # what django-otp reads
                    return user
        return None

    @staticmethod
    def _devices(user: User, persistent_id: str | None) -> list[Device]:
        if persistent_id is not None:
            device = Device.from_persistent_id(persistent_id, for_verify=True)
            return [device] if device is not None and device.user_id == user.pk else []
        apps = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
        codes = list(StaticDevice.objects.select_for_update().filter(user=user, confirmed=True))
        return [*apps, *codes]

    def get_user(self, user_id: int) -> None:
        return None  # never a session's backend: logins are made by the password's
