"""What teams holds about a person: the teams they are in, and who looked at their answers.

On deletion a lead's place goes to the longest-standing member of each team left without a lead; a
team with no other member but people asked to join (a team they carried into the next 年度) has its
oldest open offer made an offer to lead, unless one already asks someone to lead; and a team only they
are in, with nobody else asked (offers on archived teams do not count), is removed with its 担当 and
invitations. Others' access logs keep the name
of a viewer who left, as it was then: it is a record, for the person looked at, of what was seen.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.personal_data import (
    BELONGING,
    Declaration,
    Fate,
    Handover,
    Keyed,
    Person,
    Row,
    Section,
    Sheet,
    SheetRows,
    Unkeyed,
)
from bansou.domain.reports import Column
from bansou.domain.roles import role_names
from bansou.reports.responses import iso
from bansou.teams.models import AccessLog, JoinRequest, Offer, Team, TeamMember
from bansou.teams.presenters import team_label

# Teams ----------------------------------------------------------------------------------------------


def _teams(person: Person) -> list[dict[str, Any]]:
    seats = TeamMember.objects.filter(user_id=person.pk).select_related(
        "team__municipality__prefecture", "affiliation"
    )
    return [
        {
            "team": team_label(seat.team),
            "fiscal_year": seat.team.fiscal_year,
            "roles": list(seat.roles),
            "is_lead": seat.is_lead,
            "affiliation": seat.affiliation.name if seat.affiliation else None,
            "joined_at": iso(seat.joined_at),
        }
        for seat in seats
    ]


def _requests(person: Person) -> list[dict[str, Any]]:
    """Requests to join a team (an invitation that needs a lead's approval), waiting or refused."""
    asked = JoinRequest.objects.filter(user_id=person.pk).select_related(
        "team__municipality__prefecture", "affiliation"
    )
    return [
        {
            "team": team_label(r.team),
            "roles": list(r.roles),
            "affiliation": r.affiliation.name if r.affiliation else None,
            "asked_at": iso(r.asked_at),
            "refused_at": iso(r.refused_at),
        }
        for r in asked
    ]


def _offers(person: Person) -> list[dict[str, Any]]:
    """Places in teams they were asked to take (open, accepted or declined)."""
    asked = Offer.objects.filter(user_id=person.pk).select_related("team__municipality__prefecture")
    return [
        {
            "team": team_label(o.team),
            "fiscal_year": o.team.fiscal_year,
            "reason": o.reason,
            "is_lead": o.is_lead,
            "roles": list(o.roles),
            "offered_at": iso(o.offered_at),
            "answered_at": iso(o.answered_at),
            "accepted": o.accepted,
        }
        for o in asked.order_by("offered_at", "pk")
    ]


def _team_rows(person: Person, teams: list[dict[str, Any]]) -> Iterable[Row]:
    for t in teams:
        lead = "／リーダー" if t["is_lead"] else ""
        detail = f"{format_fiscal_year(t['fiscal_year'])}／役割：{'、'.join(role_names(t['roles']))}{lead}"
        yield ("支援チーム", t["team"], detail)


def _heir(seat: TeamMember) -> TeamMember | None:
    """Who becomes lead when this one goes: nobody if another lead remains."""
    others = TeamMember.objects.filter(team_id=seat.team_id).exclude(pk=seat.pk)
    if others.filter(is_lead=True).exists():
        return None
    return others.select_related("user").order_by("joined_at", "pk").first()


def _still_asked(seat: TeamMember) -> QuerySet[Offer]:
    """Open offers of a place in the seat's team to others, while the team is not archived."""
    return Offer.objects.filter(
        team_id=seat.team_id, answered_at__isnull=True, team__archived_at__isnull=True
    ).exclude(user_id=seat.user_id)


def _asked_to_lead(seat: TeamMember) -> Offer | None:
    """When this lead goes with nobody to take their place (no other lead, no heir): the oldest open
    offer, made an offer to lead, so that the team gets a lead; None if an open offer asks someone to
    lead already, or nobody is asked."""
    if TeamMember.objects.filter(team_id=seat.team_id).exclude(pk=seat.pk).exists():
        return None
    asked = _still_asked(seat)
    if asked.filter(is_lead=True).exists():
        return None
    return asked.select_related("user").order_by("offered_at", "pk").first()


def _lonely_teams(person: Person) -> list[Team]:
    """Their teams with nobody else in them and nobody else asked to join (an open offer on a team
    that is not archived)."""
    return [
        seat.team
        for seat in TeamMember.objects.filter(user_id=person.pk).select_related(
            "team__municipality__prefecture"
        )
        if not TeamMember.objects.filter(team_id=seat.team_id).exclude(user_id=person.pk).exists()
        and not _still_asked(seat).exists()
    ]


def _preview(person: Person) -> list[str]:
    lines = []
    leads = TeamMember.objects.filter(user_id=person.pk, is_lead=True)
    for seat in leads.select_related("team__municipality__prefecture"):
        heir = _heir(seat)
        if heir is not None:
            lines.append(
                _("支援チーム「%(what)s」のリーダーは %(heir)s さんに引き継がれます。")
                % {"what": team_label(seat.team), "heir": str(heir.user)}
            )
        elif (asked := _asked_to_lead(seat)) is not None:
            lines.append(
                _(
                    "支援チーム「%(what)s」にはほかのメンバーがいないため、参加を頼んでいる %(name)s さんへの"
                    "依頼を、リーダーとしての依頼に変えます。"
                )
                % {"what": team_label(seat.team), "name": str(asked.user)}
            )
    for team in _lonely_teams(person):
        lines.append(
            _("支援チーム「%(what)s」にはほかのメンバーがいないため、チームも削除されます。")
            % {"what": team_label(team)}
        )
    return lines


def _hand_over(person: Person) -> None:
    for seat in TeamMember.objects.filter(user_id=person.pk, is_lead=True):
        heir = _heir(seat)
        if heir is not None:
            TeamMember.objects.filter(pk=heir.pk).update(is_lead=True)
        elif (asked := _asked_to_lead(seat)) is not None:
            Offer.objects.filter(pk=asked.pk).update(is_lead=True)
    for team in _lonely_teams(person):
        team.delete()  # nobody else is in it: its 担当 and invitations go too


# Who looked at the person's answers -----------------------------------------------------------------

LOOKS = Sheet(
    "閲覧の記録",
    (Column("at", "日時"), Column("viewer", "見た人"), Column("team", "チーム"), Column("what", "見たもの")),
    position=400,
)


def _access_log(person: Person) -> list[dict[str, Any]]:
    log = AccessLog.objects.filter(subject_id=person.pk).select_related("check_record").order_by("at")
    return [
        {
            "at": iso(entry.at),
            "viewer": entry.viewer_name,
            "team": entry.team_label,
            "what": entry.what,
            "check": str(entry.check_record.public_id) if entry.check_record else None,
        }
        for entry in log
    ]


def _look_rows(person: Person, log: list[dict[str, Any]]) -> Iterable[Row]:
    return [(e["at"], e["viewer"], e["team"], e["what"]) for e in log]


def _looked_by(person: Person) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(viewer_id=person.pk)


def declare() -> Declaration:
    looked = "what they looked at of others' answers"
    return Declaration(
        sections=(
            Section("teams", 700, _teams, sheets=(SheetRows(BELONGING, 20, _team_rows),)),
            Section("team_requests", 710, _requests),
            Section("team_offers", 720, _offers),
            Section("access_log", 900, _access_log, sheets=(SheetRows(LOOKS, 10, _look_rows),)),
        ),
        handovers=(Handover(100, _preview, _hand_over),),
        keyed=(
            Keyed("teams.TeamMember", "user", "the teams they are in, roles, lead, affiliation"),
            Keyed("teams.Assignment", "member__user", "their 担当 in those teams"),
            Keyed(
                "teams.JoinRequest",
                "user",
                "their requests to join a team awaiting a lead's approval: the roles and affiliation chosen",
            ),
            Keyed(
                "teams.Offer",
                "user",
                "the places in teams they were asked to take: the team, why, as a lead, their answer",
            ),
            Keyed(
                "teams.Offer",
                "offered_by",
                "who asked others to take a place in a team",
                Fate.UNLINKED,
                why="the offer is the asked person's",
            ),
            Keyed("teams.AccessLog", "subject", "who looked at their answers, when"),
            Keyed(
                "teams.AccessLog", "viewer", looked, Fate.UNLINKED, why="the log is the looked-at person's"
            ),
        ),
        unkeyed=(
            Unkeyed(
                "teams.AccessLog",
                ("viewer_name",),
                f"their name on {looked}",
                _looked_by,
                Fate.KEPT,
                why="the person looked at keeps the record of who saw what, as it was then",
            ),
        ),
    )
