"""The audit log of what staff and administrators searched, opened and downloaded: one call per view,
after the view's access was decided (a refused request raises before it and writes nothing)."""

from __future__ import annotations

import datetime

from bansou.accounts.models import AuditEntry, User

Kind = AuditEntry.Kind


def record(actor: User, kind: AuditEntry.Kind, target: str, *, subject_id: int | None = None) -> None:
    AuditEntry.objects.create(
        actor=actor, actor_name=str(actor)[:100], kind=kind, target=target[:300], subject_id=subject_id
    )


def about(person: User, limit: int = 200) -> list[AuditEntry]:
    """The entries that concern ``person``, newest first (their own sharing page shows them)."""
    return list(AuditEntry.objects.filter(subject=person).order_by("-at")[:limit])


def purge(*, before: datetime.datetime) -> int:
    _, deleted = AuditEntry.objects.filter(at__lt=before).delete()
    return deleted.get("accounts.AuditEntry", 0)
