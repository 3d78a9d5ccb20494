"""The team map as a workbook and as CSV, for the members who see the map."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from bansou.accounts import audit
from bansou.accounts.http import AuthedRequest
from bansou.domain.access import TeamAction
from bansou.reports import responses
from bansou.teams import exports
from bansou.teams.access import Seat, team_for
from bansou.teams.presenters import team_label
from bansou.teams.views.common import current_framework


def staff_download(request: AuthedRequest, seat: Seat, what: str) -> None:
    """A download of a team's papers by the staff of the organisation that runs it goes in the audit
    log (the members' own downloads do not)."""
    if seat.relation.org_staff:
        audit.record(request.user, audit.Kind.TEAM_DOWNLOAD, f"{team_label(seat.team)}／{what}")


@login_required
@require_safe
def map_xlsx(request: AuthedRequest, team_id: str) -> HttpResponse:
    """The team map as a workbook (チームマップ, コード表, メタデータ)."""
    seat = team_for(request, team_id, TeamAction.MAP)
    staff_download(request, seat, "チームマップ（xlsx）")
    return responses.xlsx(exports.map_workbook(seat.team, current_framework()), "bansou-team-map")


@login_required
@require_safe
def map_csv(request: AuthedRequest, team_id: str) -> HttpResponse:
    seat = team_for(request, team_id, TeamAction.MAP)
    staff_download(request, seat, "チームマップ（CSV）")
    table = exports.map_table(seat.team, current_framework())
    return responses.csv(request, table, "bansou-team-map", back=reverse("teams:detail", args=[team_id]))
