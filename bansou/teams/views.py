"""Pages of support teams: list, create, the team map, members and invitations, sharing, 担当,
the dialogue sheet, a member's answers, joining by link or code, the pool, and one's own sharing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bansou.accounts.http import AuthedRequest
from bansou.accounts.models import User
from bansou.checks.presenters import QUADRANTS, result_context
from bansou.cohorts.models import Cohort
from bansou.domain.access import OrgAction, TeamAction
from bansou.domain.fiscal_year import fiscal_year_of, format_fiscal_year
from bansou.domain.framework import Framework
from bansou.domain.reports import (
    MapRow,
    Table,
    Workbook,
    code_table,
    metadata_table,
    standard_metadata,
    team_map_table,
)
from bansou.frameworks.queries import current_version, framework_of
from bansou.orgs.access import org_for
from bansou.orgs.models import Membership, Organisation, OrgInvitation
from bansou.orgs.services import join as join_org
from bansou.plans.queries import shared_with_team
from bansou.reports import pdf, responses
from bansou.teams import forms, presenters, queries, services
from bansou.teams.access import Seat, team_for
from bansou.teams.models import AccessLog, TeamInvitation, TeamMember
from bansou.web.codes import format_code, normalise_code
from bansou.web.fields import CodeForm


def _framework() -> Framework:
    return framework_of(current_version())


def _my_orgs(user: User) -> list[Organisation]:
    return [m.organisation for m in Membership.objects.filter(user=user).select_related("organisation")]


@login_required
@require_GET
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
                    "roles": presenters.roles_label(s.roles),
                }
                for s in seats
            ]
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    organisations = _my_orgs(user)
    initial = {"municipality": request.GET.get("municipality", ""), "roles": user.roles}
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
@require_GET
def detail(request: AuthedRequest, team_id: str, as_pdf: bool = False) -> HttpResponse:
    """The team page; with ``as_pdf`` the same page (the map, for members) as an A4 PDF."""
    seat = team_for(request, team_id, TeamAction.SEE)
    show_members = seat.can(TeamAction.MAP)
    framework = _framework()
    context = presenters.team_context(seat.team, framework, show_members=show_members)
    context.update(
        seat=seat,
        show_members=show_members,
        is_lead=seat.can(TeamAction.MANAGE),
        can_pool=seat.can(TeamAction.POOL),
        caution=framework.texts.caution,
    )
    if seat.member_id is not None:
        context["my_share"] = queries.share_of(request.user, team=seat.team)
    if show_members:  # plans members chose to share: for the team's members, not the organisation's staff
        names = {item.code: item.name for item in framework.items()}
        context["shared_plans"] = [
            {"plan": plan, "steps": [(names.get(s.item_code, s.item_code), s) for s in plan.steps.all()]}
            for plan in shared_with_team(seat.team.pk)
        ]
    return pdf.respond(request, "teams/detail.html", context, pdf_name="bansou-team" if as_pdf else None)


@login_required
@require_GET
def map_xlsx(request: AuthedRequest, team_id: str) -> HttpResponse:
    """The team map as a workbook (チームマップ, コード表, メタデータ), for the members who see the map."""
    seat, framework, table = _map_table(request, team_id)
    meta = standard_metadata(
        framework,
        exported_at=timezone.localtime(),
        subject=_("%(team)s・%(year)s のチームマップ（エレメントごと）")
        % {"team": presenters.team_label(seat.team), "year": format_fiscal_year(seat.team.fiscal_year)},
        rules=[
            _("チームに共有したメンバーだけの結果を出力しています。共有していないメンバーの数値は空欄です。"),
            _("理解・実践は、エレメントの項目の半分以上が○のとき「できている」とみなします。"),
        ],
    )
    extra = [("共有コード", "shared", _("共有している")), ("共有コード", "not_shared", _("共有していない"))]
    extra += [("位置コード", q.value, str(title)) for q, title, _text in QUADRANTS]
    codes = code_table(framework, [seat.team.fiscal_year], extra=extra)
    return responses.xlsx(Workbook((table, codes, metadata_table(meta))), "bansou-team-map")


@login_required
@require_GET
def map_csv(request: AuthedRequest, team_id: str) -> HttpResponse:
    _seat, _framework, table = _map_table(request, team_id)
    return responses.csv(request, table, "bansou-team-map", back=reverse("teams:detail", args=[team_id]))


def _map_table(request: AuthedRequest, team_id: str) -> tuple[Seat, Framework, Table]:
    seat = team_for(request, team_id, TeamAction.MAP)
    framework = _framework()
    context = presenters.team_context(seat.team, framework, show_members=True)
    members = [
        MapRow(
            name=row["member"].user.display_name,
            roles=row["roles"],
            shared=row["shared"] is not None,
            standings={c["element"].number: c["standing"] for c in row["cells"] if c["standing"]},
        )
        for row in context["rows"]
    ]
    return seat, framework, team_map_table(framework, members)


@login_required
@require_http_methods(["GET", "POST"])
def share(request: AuthedRequest, team_id: str) -> HttpResponse:
    seat = team_for(request, team_id, TeamAction.SHARE_OWN)
    user = request.user
    current = queries.share_of(user, team=seat.team)
    initial = {"choice": _choice_of(current)}
    form = forms.ShareForm(request.POST or None, initial=initial, checks=queries.own_checks(user))
    if request.method == "POST" and form.is_valid():
        shared = services.share(user=user, team=seat.team, choice=form.cleaned_data["choice"] or "")
        messages.success(
            request,
            _("チームへの共有をやめました。")
            if shared is None
            else _("チームに共有するチェックを保存しました。"),
        )
        return redirect("teams:detail", seat.team.public_id)
    return render(
        request,
        "teams/share.html",
        {"seat": seat, "label": presenters.team_label(seat.team), "form": form, "current": current},
    )


def _choice_of(share: Any) -> str:
    if share is None:
        return services.PRIVATE
    return services.LATEST if share.check_record_id is None else str(share.check_record.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def leave(request: AuthedRequest, team_id: str) -> HttpResponse:
    seat = team_for(request, team_id, TeamAction.SHARE_OWN)
    member = TeamMember.objects.get(team=seat.team, user=request.user)
    if request.method == "POST":
        try:
            services.leave(member=member)
        except services.LastLead:
            messages.error(
                request,
                _(
                    "あなたはこのチームの唯一のリーダーです。ほかのメンバーをリーダーにしてから抜けてください。"
                ),
            )
            return redirect("teams:leave", seat.team.public_id)
        messages.success(request, _("チームから抜けました。共有していたチェックは見られなくなりました。"))
        return redirect("teams:list")
    return render(request, "teams/leave.html", {"seat": seat, "label": presenters.team_label(seat.team)})


@login_required
@require_GET
def members(request: AuthedRequest, team_id: str) -> HttpResponse:
    seat = team_for(request, team_id, TeamAction.MANAGE)
    team_members = queries.members_of(seat.team)
    invitations = TeamInvitation.objects.filter(
        team=seat.team, revoked=False, expires_at__gt=timezone.now()
    ).order_by("-created_at")
    return render(
        request,
        "teams/members.html",
        {
            "seat": seat,
            "label": presenters.team_label(seat.team),
            "rows": [
                {
                    "member": m,
                    "roles": presenters.roles_label(m.roles),
                    "form": forms.MemberForm(instance=m, prefix=f"m{m.pk}"),
                }
                for m in team_members
            ],
            "invitations": [
                {
                    "invitation": i,
                    "code": format_code(i.code),
                    "link": request.build_absolute_uri(reverse("teams:join", args=[i.code])),
                }
                for i in invitations
            ],
        },
    )


def _member_of(seat: Seat, member_id: int) -> TeamMember:
    member = TeamMember.objects.select_related("user").filter(team=seat.team, pk=member_id).first()
    if member is None:
        raise Http404
    return member


@login_required
@require_POST
def update_member(request: AuthedRequest, team_id: str, member_id: int) -> HttpResponse:
    seat = team_for(request, team_id, TeamAction.MANAGE)
    member = _member_of(seat, member_id)
    form = forms.MemberForm(request.POST, instance=member, prefix=f"m{member.pk}")
    if not form.is_valid():
        messages.error(request, _("%(name)s さん：役割を一つ以上選んでください。") % {"name": member.user})
    else:
        try:
            services.set_member(
                member=member, roles=form.cleaned_data["roles"], is_lead=form.cleaned_data["is_lead"]
            )
            messages.success(request, _("%(name)s さんの役割を保存しました。") % {"name": member.user})
        except services.LastLead:
            messages.error(request, _("チームには少なくとも一人のリーダーが必要です。"))
    return redirect("teams:members", seat.team.public_id)


@login_required
@require_POST
def remove_member(request: AuthedRequest, team_id: str, member_id: int) -> HttpResponse:
    seat = team_for(request, team_id, TeamAction.MANAGE)
    member = _member_of(seat, member_id)
    try:
        services.leave(member=member)
        messages.success(request, _("%(name)s さんをチームから外しました。") % {"name": member.user})
    except services.LastLead:
        messages.error(request, _("チームには少なくとも一人のリーダーが必要です。"))
    if member.pk == seat.member_id and not TeamMember.objects.filter(pk=member.pk).exists():
        return redirect("teams:list")
    return redirect("teams:members", seat.team.public_id)


@login_required
@require_POST
def invite(request: AuthedRequest, team_id: str) -> HttpResponse:
    seat = team_for(request, team_id, TeamAction.MANAGE)
    services.invite(team=seat.team, by=request.user)
    messages.success(request, _("招待リンクとコードを作りました。参加してほしい人に伝えてください。"))
    return redirect("teams:members", seat.team.public_id)


@login_required
@require_POST
def revoke(request: AuthedRequest, team_id: str, invitation_id: int) -> HttpResponse:
    seat = team_for(request, team_id, TeamAction.MANAGE)
    TeamInvitation.objects.filter(team=seat.team, pk=invitation_id).update(revoked=True)
    messages.success(request, _("招待を取り消しました。"))
    return redirect("teams:members", seat.team.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def settings(request: AuthedRequest, team_id: str) -> HttpResponse:
    seat = team_for(request, team_id, TeamAction.MANAGE)
    team = seat.team
    form = forms.SettingsForm(request.POST or None, initial={"name": team.name, "needed": team.needed})
    if request.method == "POST" and form.is_valid():
        team.name = form.cleaned_data["name"]
        team.needed = form.cleaned_data["needed"]
        team.save(update_fields=["name", "needed"])
        messages.success(request, _("チームの設定を保存しました。"))
        return redirect("teams:detail", team.public_id)
    return render(
        request, "teams/settings.html", {"seat": seat, "label": presenters.team_label(team), "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignments(request: AuthedRequest, team_id: str) -> HttpResponse:
    seat = team_for(request, team_id, TeamAction.MANAGE)
    framework = _framework()
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
@require_GET
def dialogue(request: AuthedRequest, team_id: str, as_pdf: bool = False) -> HttpResponse:
    seat = team_for(request, team_id, TeamAction.DIALOGUE)
    framework = _framework()
    context, seen = presenters.dialogue_context(seat.team, framework)
    services.log_access(viewer=request.user, team=seat.team, what=AccessLog.What.DIALOGUE, seen=seen)
    context.update(seat=seat, caution=framework.texts.caution)
    return pdf.respond(
        request, "teams/dialogue.html", context, pdf_name="bansou-dialogue" if as_pdf else None
    )


@login_required
@require_GET
def member_answers(request: AuthedRequest, team_id: str, member_id: int) -> HttpResponse:
    seat = team_for(request, team_id, TeamAction.MEMBER_ANSWERS, about=member_id)
    member = _member_of(seat, member_id)
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


# Joining by link or code --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def join_by_code(request: AuthedRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect("teams:join", form.cleaned_data["code"])
    return render(request, "teams/join_code.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def join(request: AuthedRequest, code: str) -> HttpResponse:
    """Shows what joining means, then joins: a team or an organisation, whichever the code is for."""
    user = request.user
    code = normalise_code(code)
    team_invitation = (
        TeamInvitation.objects.select_related("team__municipality__prefecture", "team__organisation")
        .filter(code=code)
        .first()
    )
    if team_invitation is not None and team_invitation.usable():
        return _join_team(request, user, team_invitation)
    org_invitation = OrgInvitation.objects.select_related("organisation").filter(code=code).first()
    if org_invitation is not None and org_invitation.usable():
        return _join_org(request, user, org_invitation)
    if Cohort.objects.filter(join_code=code).exists():  # a 研修's code typed where invitations go
        return redirect("cohorts:join", code)
    return render(request, "teams/join_invalid.html", status=404)


def _join_team(request: AuthedRequest, user: User, invitation: TeamInvitation) -> HttpResponse:
    team = invitation.team
    already = TeamMember.objects.filter(team=team, user=user).exists()
    if already:
        messages.info(request, _("すでにこのチームのメンバーです。"))
        return redirect("teams:detail", team.public_id)
    form = forms.JoinTeamForm(
        request.POST or None, initial={"roles": user.roles}, organisations=_my_orgs(user)
    )
    if request.method == "POST" and form.is_valid():
        services.join(
            invitation=invitation,
            user=user,
            roles=form.cleaned_data["roles"],
            affiliation=form.cleaned_data["affiliation"],
        )
        messages.success(request, _("チームに参加しました。チームに共有するチェックを選んでください。"))
        return redirect("teams:share", team.public_id)
    return render(
        request,
        "teams/join_team.html",
        {
            "team": team,
            "label": presenters.team_label(team),
            "fiscal_year": format_fiscal_year(team.fiscal_year),
            "form": form,
            "code": invitation.code,
        },
    )


def _join_org(request: AuthedRequest, user: User, invitation: OrgInvitation) -> HttpResponse:
    organisation = invitation.organisation
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        messages.info(request, _("すでにこの組織に参加しています。"))
        return redirect("orgs:detail", organisation.public_id)
    if request.method == "POST":
        join_org(invitation=invitation, user=user)
        messages.success(request, _("%(org)s に参加しました。") % {"org": organisation.name})
        return redirect("orgs:detail", organisation.public_id)
    return render(
        request,
        "teams/join_org.html",
        {
            "organisation": organisation,
            "role": invitation.get_role_display(),
            "staff": invitation.role != Membership.Role.SUPPORTER,
            "code": invitation.code,
        },
    )


# The pool -----------------------------------------------------------------------------------------


@login_required
@require_GET
def team_pool(request: AuthedRequest, team_id: str) -> HttpResponse:
    """For a team's gaps: people in the running organisation's pool who practise those elements."""
    seat = team_for(request, team_id, TeamAction.POOL)
    organisation = seat.team.organisation
    assert organisation is not None  # org staff implies an organisation
    return _pool(request, organisation, seat=seat)


@login_required
@require_GET
def org_pool(request: AuthedRequest, org_id: str) -> HttpResponse:
    organisation, _membership = org_for(request, org_id, OrgAction.STAFF)
    return _pool(request, organisation, seat=None)


def _pool(request: AuthedRequest, organisation: Organisation, seat: Seat | None) -> HttpResponse:
    framework = _framework()
    data: dict[str, Any] = request.GET.copy()
    exclude: list[int] = []
    if seat is not None:
        if "fiscal_year" not in request.GET:
            data["fiscal_year"] = str(seat.team.fiscal_year)
        exclude = list(TeamMember.objects.filter(team=seat.team).values_list("user_id", flat=True))
    elif "fiscal_year" not in request.GET:
        data["fiscal_year"] = str(fiscal_year_of(timezone.localdate()))
    form = forms.PoolSearchForm(
        data if "elements" in request.GET else None,
        framework=framework,
        initial=data,
        team_year=seat.team.fiscal_year if seat else None,
    )
    people: list[queries.PoolPerson] = []
    found = 0
    if form.is_bound and form.is_valid():
        people, found = queries.pool_candidates(
            organisation, form.cleaned_data["elements"], form.cleaned_data["fiscal_year"], exclude=exclude
        )
    names = {e.number: e.name for e in framework.elements}
    return render(
        request,
        "teams/pool.html",
        {
            "organisation": organisation,
            "seat": seat,
            "label": presenters.team_label(seat.team) if seat else "",
            "form": form,
            "people": [
                {
                    "person": p,
                    "fills": [names[e] for e in p.match.fills],
                    "teams": [presenters.team_label(t) for t in p.teams],
                }
                for p in people
            ],
            "found": found,
            "searched": form.is_bound,
            "fiscal_year": format_fiscal_year(form.cleaned_data["fiscal_year"])
            if form.is_bound and form.is_valid()
            else "",
        },
    )


# One's own sharing --------------------------------------------------------------------------------


@login_required
@require_GET
def my_sharing(request: AuthedRequest) -> HttpResponse:
    user = request.user
    shares = queries.shares_of(user)
    return render(
        request,
        "teams/my_sharing.html",
        {
            "team_shares": [
                {"share": s, "label": presenters.team_label(s.team)} for s in shares if s.team is not None
            ],
            "org_shares": [s for s in shares if s.organisation_id is not None],
            "log": queries.access_log_of(user),
        },
    )
