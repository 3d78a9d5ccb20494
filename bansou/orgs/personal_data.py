"""What orgs holds about a person: the organisations they belong to, in which role, in whose pool.

On deletion an administrator's place goes to the longest-standing staff member (else supporter) of
each organisation that would be left without one; an organisation left with nobody stays (its 研修
and teams may still be used)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from bansou.domain.personal_data import (
    BELONGING,
    Declaration,
    Handover,
    Keyed,
    Person,
    Row,
    Section,
    SheetRows,
)
from bansou.orgs.models import Membership, Organisation


def _organisations(person: Person) -> list[dict[str, Any]]:
    memberships = Membership.objects.filter(user_id=person.pk).select_related("organisation")
    return [{"name": m.organisation.name, "role": m.role, "in_pool": m.in_pool} for m in memberships]


def _belonging(person: Person, organisations: list[dict[str, Any]]) -> Iterable[Row]:
    for o in organisations:
        role = Membership.Role(o["role"]).label  # the JSON keeps the code; the sheet says it in words
        yield ("組織", o["name"], f"役割：{role}／人材プール：{'あり' if o['in_pool'] else 'なし'}")


def _heir(membership: Membership) -> Membership | None:
    """Who becomes administrator when this one goes: nobody if another administrator remains."""
    others = Membership.objects.filter(organisation_id=membership.organisation_id).exclude(pk=membership.pk)
    if others.filter(role=Membership.Role.ADMIN).exists():
        return None
    for role in (Membership.Role.STAFF, Membership.Role.SUPPORTER):
        heir = others.filter(role=role).select_related("user").order_by("joined_at", "pk").first()
        if heir is not None:
            return heir
    return None


def _left_alone(person: Person) -> list[Organisation]:
    """Organisations only this person belongs to: they stay (their 研修 and teams may still be used)."""
    return [
        m.organisation
        for m in Membership.objects.filter(user_id=person.pk).select_related("organisation")
        if not Membership.objects.filter(organisation_id=m.organisation_id)
        .exclude(user_id=person.pk)
        .exists()
    ]


def _preview(person: Person) -> list[str]:
    lines = []
    for membership in Membership.objects.filter(user_id=person.pk, role=Membership.Role.ADMIN).select_related(
        "organisation"
    ):
        heir = _heir(membership)
        if heir is not None:
            lines.append(
                _("組織「%(what)s」の管理者は %(heir)s さんに引き継がれます。")
                % {"what": membership.organisation.name, "heir": str(heir.user)}
            )
    for organisation in _left_alone(person):
        lines.append(
            _("組織「%(what)s」にはほかに誰もいなくなります（組織そのものは残ります）。")
            % {"what": organisation.name}
        )
    return lines


def _hand_over(person: Person) -> None:
    for membership in Membership.objects.filter(user_id=person.pk, role=Membership.Role.ADMIN):
        heir = _heir(membership)
        if heir is not None:
            Membership.objects.filter(pk=heir.pk).update(role=Membership.Role.ADMIN)


def declare() -> Declaration:
    return Declaration(
        sections=(
            Section("organisations", 600, _organisations, sheets=(SheetRows(BELONGING, 10, _belonging),)),
        ),
        handovers=(Handover(200, _preview, _hand_over),),
        keyed=(Keyed("orgs.Membership", "user", "the organisations they belong to, role, pool"),),
    )
