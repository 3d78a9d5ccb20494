"""Helpers shared by the team pages."""

from __future__ import annotations

from django.http import Http404

from bansou.accounts.models import User
from bansou.domain.framework import Framework
from bansou.frameworks.queries import current_version, framework_of
from bansou.orgs.models import Membership, Organisation
from bansou.teams.access import Seat
from bansou.teams.models import TeamMember


def current_framework() -> Framework:
    return framework_of(current_version())


def my_orgs(user: User) -> list[Organisation]:
    return [m.organisation for m in Membership.objects.filter(user=user).select_related("organisation")]


def staff_orgs(user: User) -> list[Organisation]:
    """The organisations where the person is 職員 or 管理者."""
    roles = [Membership.Role.ADMIN, Membership.Role.STAFF]
    found = Membership.objects.filter(user=user, role__in=roles).select_related("organisation")
    return [m.organisation for m in found]


def member_of(seat: Seat, member_id: int) -> TeamMember:
    """A member of the seat's team, or 404."""
    member = TeamMember.objects.select_related("user").filter(team=seat.team, pk=member_id).first()
    if member is None:
        raise Http404
    return member
