"""The team's own pages: the list, creating a team, the team page (and PDF), 担当, the dialogue sheet
and a member's answers (settings, deleting and archiving: ``views.settings``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bansou.accounts.http import AuthedRequest
from bansou.checks.presenters import result_context
from bansou.domain.access import TeamAction
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.plans.queries import shared_with_team
from bansou.reports import pdf
from bansou.sharing import queries as sharing_queries
from bansou.sharing.choices import Audience
from bansou.teams import companions, forms, presenters, queries, renewal, services
from bansou.teams.access import team_for
from bansou.teams.models import AccessLog
from bansou.teams.views import offers as offer_views
from bansou.teams.views.common import current_framework, member_of, my_orgs, staff_orgs
from bansou.teams.views.exports import staff_download


@login_required
@require_safe
def team_list(request: AuthedRequest) -> HttpResponse:
    seats = queries.teams_of(request.user)
    return render(
        request,
        "teams/list.html",
        {
            "seats": [
                {
                    "seat": s,
                    "label": presenters.team_label(s.team),
                    "fiscal_year": format_fiscal_year(s.team.fiscal_year),
                    "organisation": s.team.organisation,
                    "archived": s.team.archived_at is not None,
                    "roles": presenters.roles_label(s.roles),
                }
                for s in sorted(seats, key=lambda s: s.team.archived_at is not None)
            ],
            "offers": offer_views.open_offers(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    organisations = my_orgs(user)
    initial = {"municipality": request.GET.get("municipality", ""), "roles": user.roles}
    running = staff_orgs(user)
    if len(running) == 1:  # the one organisation the person works for runs the team, unless changed
        initial["organisation"] = running[0].pk
    form = forms.TeamForm(request.POST or None, initial=initial, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        team = services.create_team(
            user=user,
            municipality=data["municipality"],
            fiscal_year=data["fiscal_year"],
            name=data["name"],
            organisation=data["organisation"],
            roles=data["roles"],
        )
        messages.success(request, _("チームを作成しました。メンバーを招待しましょう。"))
        return redirect("teams:members", team.public_id)
    picker = reverse("places:municipalities") + "?next=" + reverse("teams:create")
    return render(request, "teams/create.html", {"form": form, "picker": picker})


@login_required
@require_safe
def detail(request: AuthedRequest, team_id: str, as_pdf: bool = False) -> HttpResponse:
    """The team page; with ``as_pdf`` the same page (the map, for members) as an A4 PDF."""
    seat = team_for(request, team_id, TeamAction.SEE)
    if as_pdf:
        staff_download(request, seat, "チームのページ（PDF）")
    show_members = seat.can(TeamAction.MAP)
    framework = current_framework()
    context = presenters.team_context(seat.team, framework, show_members=show_members)
    context.update(
        seat=seat,
        show_members=show_members,
        is_lead=seat.can(TeamAction.MANAGE),
        can_pool=seat.can(TeamAction.POOL),
        caution=framework.texts.caution,
    )
    if seat.can(TeamAction.MANAGE):  # what higher rooms ask of the leads (a plan's change to the team)
        context["lead_notices"] = companions.notices_for(seat.team.pk)
    if seat.can(TeamAction.STEWARD):  # who was asked to take a place, and their answers
        context.update(steward=True, offers=offer_views.team_offer_rows(seat))
    context.update(offer_views.lead_context(seat, context["members"], pdf=as_pdf))
    context["neighbours"] = renewal.neighbours(seat.team, request.user.pk)
    if seat.member_id is not None:
        context["my_share"] = sharing_queries.share_of(request.user.pk, Audience.team(seat.team.pk))
    if show_members:  # plans members chose to share: for the team's members, not the organisation's staff
        names = {item.code: item.name for item in framework.items()}
        context["shared_plans"] = [
            {"plan": plan, "steps": [(names.get(s.item_code, s.item_code), s) for s in plan.steps.all()]}
            for plan in shared_with_team(seat.team.pk)
        ]
    return pdf.respond(request, "teams/detail.html", context, pdf_name="bansou-team" if as_pdf else None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assignments(request: AuthedRequest, team_id: str) -> HttpResponse:
    seat = team_for(request, team_id, TeamAction.MANAGE)
    framework = current_framework()
    team_members = queries.members_of(seat.team)
    current = queries.assignments_of(seat.team)
    initial = {f"element_{e.number}": current.get(e.number, []) for e in framework.elements}
    form = forms.AssignmentForm(
        request.POST or None, initial=initial, framework=framework, members=team_members
    )
    if request.method == "POST" and form.is_valid():
        for element in framework.elements:
            services.set_assignments(
                team=seat.team,
                element=element.number,
                member_ids=form.cleaned_data[f"element_{element.number}"],
            )
        messages.success(request, _("担当を保存しました。"))
        return redirect("teams:detail", seat.team.public_id)
    return render(
        request,
        "teams/assignments.html",
        {
            "seat": seat,
            "label": presenters.team_label(seat.team),
            "form": form,
            "caution": framework.texts.caution,
        },
    )


@login_required
@require_safe
def dialogue(request: AuthedRequest, team_id: str, as_pdf: bool = False) -> HttpResponse:
    seat = team_for(request, team_id, TeamAction.DIALOGUE)
    framework = current_framework()
    context, seen = presenters.dialogue_context(seat.team, framework)
    services.log_access(viewer=request.user, team=seat.team, what=AccessLog.What.DIALOGUE, seen=seen)
    context.update(seat=seat, caution=framework.texts.caution)
    return pdf.respond(
        request, "teams/dialogue.html", context, pdf_name="bansou-dialogue" if as_pdf else None
    )


@login_required
@require_safe
def member_answers(request: AuthedRequest, team_id: str, member_id: int) -> HttpResponse:
    seat = team_for(request, team_id, TeamAction.MEMBER_ANSWERS, about=member_id)
    member = member_of(seat, member_id)
    shared = queries.shared_checks(seat.team, user_id=member.user_id).get(member.user_id)
    context: dict[str, Any] = {"seat": seat, "label": presenters.team_label(seat.team), "member": member}
    if shared is not None:
        context.update(result_context(shared.check))
        context["latest"] = shared.latest
        services.log_access(
            viewer=request.user,
            team=seat.team,
            what=AccessLog.What.MEMBER_ANSWERS,
            seen=[(member.user_id, shared.check.pk)],
        )
    return render(request, "teams/member_answers.html", context)
