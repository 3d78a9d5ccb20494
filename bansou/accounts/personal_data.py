"""What accounts holds about a person: the profile, their sessions,
what django-axes records of their logins, the audit log of what staff did (about them, and by them),
and their second factor (django-otp's devices, declared here: the package is not one of our apps).

Sessions and axes' rows have no key to the user (the user's id is inside the session's data; axes
keeps the login id and the IP address as text): account deletion erases them by what they hold. Axes'
rows of everyone go after ``LOGIN_RECORD_DAYS`` days too (``bansou.accounts.retention``).
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

from bansou.accounts.models import AuditEntry, User
from bansou.domain.personal_data import Declaration, Fate, Keyed, Person, Rows, Section, Unkeyed
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


def _audit_about(person: Person) -> list[dict[str, Any]]:
    """What staff searched, opened or downloaded that concerns the person (their pool profile, say)."""
    entries = AuditEntry.objects.filter(subject_id=person.pk).order_by("at")
    return [
        {
            "at": iso(e.at),
            "actor": e.actor_name,
            "kind": e.kind,
            "kind_name": e.get_kind_display(),
            "target": e.target,
        }
        for e in entries
    ]


def _audited_acts(person: Person) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(actor_id=person.pk)


def _by_login_id(model: Any) -> Callable[[Person], Rows]:
    """Axes' rows of the person's login id as typed, in any case ("Takahashi" for "takahashi": logins
    are case-sensitive, so such a try fails and is recorded), but never those of another account
    whose login id differs only in case."""

    def find(person: Person) -> Rows:
        others = User.objects.filter(username__iexact=person.username).exclude(pk=person.pk)
        rows: Rows = model.objects.filter(username__iexact=person.username).exclude(
            username__in=list(others.values_list("username", flat=True))
        )
        return rows

    return find


_LOGIN = "login id, IP address and browser"
_ACTS = "what they searched, opened or downloaded as staff or administrator"

KEYED = (
    Keyed("accounts.User", "pk", "login id, name, フリガナ, roles, password hash, last login"),
    Keyed("accounts.User_groups", "user", "the admin groups they are in"),
    Keyed("accounts.User_user_permissions", "user", "admin permissions given to them"),
    Keyed("accounts.AuditEntry", "subject", "what staff searched, opened or downloaded about them, when"),
    Keyed(
        "accounts.AuditEntry",
        "actor",
        _ACTS,
        Fate.UNLINKED,
        why="the audit log is the organisation's and the administrators' record of what staff did",
    ),
    Keyed("otp_totp.TOTPDevice", "user", "second factor: the authenticator app's key, when added, last used"),
    Keyed("otp_static.StaticDevice", "user", "second factor: that they have recovery codes"),
    Keyed("otp_static.StaticToken", "device__user", "second factor: the recovery codes not used yet"),
)

UNKEYED = (
    Unkeyed(
        "accounts.AuditEntry",
        ("actor_name",),
        f"their name on {_ACTS}",
        _audited_acts,
        Fate.KEPT,
        why="an audit log that forgot who acted when they leave would not be one; kept as it was then",
    ),
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
    return Declaration(
        sections=(Section("profile", 100, _profile), Section("staff_audit", 905, _audit_about)),
        keyed=KEYED,
        unkeyed=UNKEYED,
    )
