"""What accounts holds about a person: the profile, their sessions,
what django-axes records of their logins, and their second factor (django-otp's devices, declared
here: the package is not one of our apps).

Sessions and axes' rows have no key to the user (the user's id is inside the session's data; axes
keeps the login id and the IP address as text): account deletion erases them by what they hold.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as LoginLog
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from bansou.accounts.models import User
from bansou.domain.personal_data import Declaration, Keyed, Person, Rows, Section, Unkeyed
from bansou.domain.roles import role_names
from bansou.reports.responses import iso


def _profile(person: Person) -> dict[str, Any]:
    user = person if isinstance(person, User) else User.objects.get(pk=person.pk)
    return {
        "login_id": user.username,
        "display_name": user.display_name,
        "furigana": user.furigana,
        "roles": list(user.roles),
        "role_names": role_names(user.roles),
        "joined_at": iso(user.date_joined),
        "last_login": iso(user.last_login),
        "second_factor": _second_factor(user),
    }


def _second_factor(user: User) -> dict[str, Any]:
    """Whether the person has one, since when and how many recovery codes are left (never the key or
    the codes themselves: they are what a login is proved with)."""
    app = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return {
        "enabled": app is not None,
        "since": iso(app.created_at) if app else None,
        "last_used": iso(app.last_used_at) if app else None,
        "recovery_codes_left": StaticToken.objects.filter(device__user=user).count(),
    }


def _sessions(person: Person) -> QuerySet[Session]:
    """The person's sessions in every browser, expired or not (each one's data is read: the user's
    id is inside it). Only the database session engine keeps them in this table."""
    mine = str(person.pk)
    keys = [
        session.session_key
        for session in Session.objects.iterator()
        if session.get_decoded().get(SESSION_KEY) == mine
    ]
    return Session.objects.filter(session_key__in=keys)


def _by_login_id(model: Any) -> Callable[[Person], Rows]:
    def find(person: Person) -> Rows:
        rows: Rows = model.objects.filter(username=person.username)
        return rows

    return find


_LOGIN = "login id, IP address and browser"

KEYED = (
    Keyed("accounts.User", "pk", "login id, name, フリガナ, roles, password hash, last login"),
    Keyed("accounts.User_groups", "user", "the admin groups they are in"),
    Keyed("accounts.User_user_permissions", "user", "admin permissions given to them"),
    Keyed("otp_totp.TOTPDevice", "user", "second factor: the authenticator app's key, when added, last used"),
    Keyed("otp_static.StaticDevice", "user", "second factor: that they have recovery codes"),
    Keyed("otp_static.StaticToken", "device__user", "second factor: the recovery codes not used yet"),
)

UNKEYED = (
    Unkeyed("sessions.Session", ("session_data",), "that they are signed in, in each browser", _sessions),
    Unkeyed(
        "axes.AccessLog",
        ("username", "ip_address", "user_agent"),
        f"each login: {_LOGIN}",
        _by_login_id(LoginLog),
    ),
    Unkeyed(
        "axes.AccessAttempt",
        ("username", "ip_address", "user_agent"),
        f"failed logins: {_LOGIN}",
        _by_login_id(AccessAttempt),
    ),
    Unkeyed(
        "axes.AccessFailureLog",
        ("username", "ip_address", "user_agent"),
        f"each failed login: {_LOGIN}",
        _by_login_id(AccessFailureLog),
    ),
)


def declare() -> Declaration:
    return Declaration(sections=(Section("profile", 100, _profile),), keyed=KEYED, unkeyed=UNKEYED)
