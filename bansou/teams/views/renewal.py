"""Carrying a team into the next 年度: the confirmation page that says what will happen, then the
button (a lead of the team or the running organisation's staff)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bansou.accounts.http import AuthedRequest
from bansou.domain.access import TeamAction
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.teams import presenters, renewal
from bansou.teams.access import team_for


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def carry(request: AuthedRequest, team_id: str) -> HttpResponse:
    """A second submit (or a team carried before) is told so and changes nothing."""
    seat = team_for(request, team_id, TeamAction.STEWARD)
    team = seat.team
    if request.method == "POST":
        try:
            following = renewal.carry(team=team, by=request.user)
        except renewal.AlreadyCarried:
            messages.info(request, _("このチームはすでに次年度に引き継がれています。"))
            return redirect("teams:detail", team.public_id)
        except renewal.Archived:
            messages.error(
                request,
                _(
                    "アーカイブしたチームは次年度に引き継げません。引き継ぐときは、先にアーカイブを解除してください。"
                ),
            )
            return redirect("teams:carry", team.public_id)
        messages.success(
            request,
            _("%(year)s のチームを作りました。メンバーには、アプリの中で参加を改めて依頼しています。")
            % {"year": format_fiscal_year(following.fiscal_year)},
        )
        return redirect("teams:detail", following.public_id)
    plan = renewal.preview(team=team, by=request.user)
    context = {
        "seat": seat,
        "team": team,
        "listing": team.listing,
        "plan": plan,
        "fiscal_year": format_fiscal_year(team.fiscal_year),
        "next_year": format_fiscal_year(plan.fiscal_year),
        "asked": [(m, presenters.roles_label(m.roles)) for m in plan.asked],
        "neighbours": renewal.neighbours(team, request.user.pk),
        "carried": team.carried_to.exists(),
        "show_roles": seat.can(TeamAction.MAP),  # as on the team page: members' roles for members
    }
    return render(request, "teams/carry.html", context)
