"""A lead's settings of the team: the 市町村 and 年度 (to correct them), the name, the C rule; and ending
the team, by deleting it when nothing was shared with it, or else by archiving it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bansou.accounts.http import AuthedRequest
from bansou.domain.access import TeamAction
from bansou.teams import forms, presenters, queries, services
from bansou.teams.access import team_for


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings(request: AuthedRequest, team_id: str) -> HttpResponse:
    """``?municipality=<団体コード>`` (from the picker) puts a newly chosen 市町村 in the form."""
    seat = team_for(request, team_id, TeamAction.MANAGE)
    team = seat.team
    initial = {
        "municipality": request.GET.get("municipality") or team.municipality_id,
        "fiscal_year": team.fiscal_year,
        "name": team.name,
        "needed": team.needed,
    }
    form = forms.SettingsForm(request.POST or None, initial=initial, team=team)
    if request.method == "POST" and form.is_valid():
        services.change_team(team=team, **form.cleaned_data)
        messages.success(request, _("チームの設定を保存しました。"))
        return redirect("teams:detail", team.public_id)
    here = reverse("teams:settings", args=[team.public_id])
    context = {
        "seat": seat,
        "label": presenters.team_label(team),
        "form": form,
        "picker": reverse("places:municipalities") + "?next=" + here,
    }
    return render(request, "teams/settings.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def end(request: AuthedRequest, team_id: str) -> HttpResponse:
    """Deleting the team, or archiving it (and back) when members shared with it or answers were seen."""
    seat = team_for(request, team_id, TeamAction.MANAGE)
    team = seat.team
    traces = queries.traces_of(team)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "delete" and not traces.any:
            services.delete_team(team=team)
            messages.success(request, _("チーム「%(team)s」を削除しました。") % {"team": team.listing})
            return redirect("teams:list")
        if action in ("archive", "restore"):
            services.archive_team(team=team, archived=action == "archive")
            messages.success(
                request,
                _("チームをアーカイブしました。")
                if action == "archive"
                else _("チームのアーカイブを解除しました。"),
            )
            return redirect("teams:detail", team.public_id)
    context = {"seat": seat, "label": team.listing, "traces": traces}
    return render(request, "teams/end.html", context)
