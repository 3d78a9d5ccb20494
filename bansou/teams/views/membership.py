"""The team's people: members and their roles, invitations, joining, sharing one's check, leaving."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bansou.accounts.http import AuthedRequest, user_of
from bansou.checks.models import Check
from bansou.domain.access import TeamAction
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.invitations import presenters as invitation_rows
from bansou.invitations import services as invitations
from bansou.invitations import shown_once
from bansou.invitations.models import Invitation, Kind
from bansou.invitations.refusals import refused
from bansou.sharing import queries as sharing_queries
from bansou.sharing import services as sharing_services
from bansou.sharing.choices import Audience, ShareChoice, Shared
from bansou.sharing.forms import TeamShareForm, own_checks
from bansou.teams import forms, presenters, queries, services
from bansou.teams.access import Seat, team_for
from bansou.teams.models import JoinRequest, Team, TeamMember
from bansou.teams.views.common import member_of, my_orgs
from bansou.web.fields import CodeForm


def _from_result(request: AuthedRequest, checks: list[Check]) -> Check | None:
    """The person's own check named by ``?check=`` (the result the person came from), if any."""
    wanted = request.GET.get("check", "")
    return next((c for c in checks if str(c.public_id) == wanted), None)


@login_required
@require_safe
def share_from_result(request: AuthedRequest) -> HttpResponse:
    """From a check's result: the share page of the person's one team, or a choice among their teams.
    ``?check=<id>`` is handed on, so that the share page offers that check."""
    seats = sorted(queries.teams_of(request.user), key=lambda s: s.team.archived_at is not None)
    query = "?" + urlencode({"check": request.GET["check"]}) if request.GET.get("check") else ""
    links = [(s.team.listing, reverse("teams:share", args=[s.team.public_id]) + query) for s in seats]
    if len(links) == 1:
        return redirect(links[0][1])
    return render(request, "teams/share_choose.html", {"links": links})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def share(request: AuthedRequest, team_id: str) -> HttpResponse:
    """``?check=<id>`` (from a result) offers that check when nothing is shared with the team yet."""
    seat = team_for(request, team_id, TeamAction.SHARE_OWN)
    user = request.user
    audience = Audience.team(seat.team.pk)
    current = sharing_queries.share_of(user.pk, audience)
    organisation = seat.team.organisation
    checks = own_checks(user.pk)
    came_with = _from_result(request, checks) if current is None else None
    form = TeamShareForm(
        request.POST or None,
        current=ShareChoice(Shared.CHECK, came_with.public_id) if came_with else ShareChoice.of(current),
        checks=checks,
        organisation=organisation.name if organisation else "",
        verdicts_to_staff=current is not None and current.verdicts_to_staff,
    )
    if request.method == "POST" and form.is_valid():
        shared = sharing_services.share(
            user=user,
            audience=audience,
            choice=form.cleaned_data["choice"],
            verdicts_to_staff=form.cleaned_data["verdicts_to_staff"],
        )
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
        {"seat": seat, "label": seat.team.listing, "form": form, "current": current, "came_with": came_with},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
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
@require_safe
def members(request: AuthedRequest, team_id: str) -> HttpResponse:
    seat = team_for(request, team_id, TeamAction.MANAGE)
    team_members = queries.members_of(seat.team)
    active = invitations.active(Kind.TEAM, seat.team.pk)
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
            "invite_form": forms.InviteForm(),
            "waiting": [
                {"request": r, "roles": presenters.roles_label(r.roles)} for r in services.waiting(seat.team)
            ],
            "invitations": invitation_rows.rows(
                request,
                active,
                fresh=shown_once.take_all(request, {i.pk for i in active}),
                link=lambda code: reverse("teams:join", args=[code]),
                revoke=lambda i: reverse("teams:revoke", args=[seat.team.public_id, i.pk]),
                role=lambda role: _("リーダー") if role == services.LEAD else _("メンバー"),
            ),
        },
    )


@login_required
@require_POST
def update_member(request: AuthedRequest, team_id: str, member_id: int) -> HttpResponse:
    seat = team_for(request, team_id, TeamAction.MANAGE)
    member = member_of(seat, member_id)
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
    member = member_of(seat, member_id)
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
    if seat.team.archived_at is not None:
        messages.error(request, _("アーカイブしたチームには招待できません。チームの設定で解除してください。"))
        return redirect("teams:members", seat.team.public_id)
    form = forms.InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("招待の方法を選び直してください（メモは200文字までです）。"))
        return redirect("teams:members", seat.team.public_id)
    how = services.Invite(form.cleaned_data["how"] or services.Invite.SINGLE)
    issued = services.invite(team=seat.team, by=request.user, how=how, note=form.cleaned_data["note"])
    shown_once.keep(request, issued)
    if how is services.Invite.APPROVAL:
        text = _(
            "承認が必要な招待リンクとコードを作りました。申し込んだ人は、このページで承認するとメンバーになります。"
        )
    else:
        text = _("1人だけが使える招待リンクとコードを作りました。参加してほしい人に伝えてください。")
    messages.success(request, text)
    return redirect("teams:members", seat.team.public_id)


def _join_request(seat: Seat, request_id: int) -> JoinRequest:
    """A request to join the seat's team that no lead has answered, or 404."""
    found = JoinRequest.objects.select_related("user").filter(
        team=seat.team, pk=request_id, refused_at__isnull=True
    )
    asked = found.first()
    if asked is None:
        raise Http404
    return asked


@login_required
@require_POST
def approve_join(request: AuthedRequest, team_id: str, request_id: int) -> HttpResponse:
    seat = team_for(request, team_id, TeamAction.MANAGE)
    asked = _join_request(seat, request_id)
    services.approve(request=asked)
    messages.success(request, _("%(name)s さんの参加を承認しました。") % {"name": asked.user})
    return redirect("teams:members", seat.team.public_id)


@login_required
@require_POST
def refuse_join(request: AuthedRequest, team_id: str, request_id: int) -> HttpResponse:
    seat = team_for(request, team_id, TeamAction.MANAGE)
    asked = _join_request(seat, request_id)
    services.refuse(request=asked)
    messages.success(request, _("%(name)s さんの参加を承認しませんでした。") % {"name": asked.user})
    return redirect("teams:members", seat.team.public_id)


@login_required
@require_POST
def revoke(request: AuthedRequest, team_id: str, invitation_id: int) -> HttpResponse:
    seat = team_for(request, team_id, TeamAction.MANAGE)
    invitations.revoke(kind=Kind.TEAM, target_id=seat.team.pk, invitation_id=invitation_id)
    messages.success(request, _("招待を取り消しました。"))
    return redirect("teams:members", seat.team.public_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def join_by_code(request: AuthedRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect("teams:join", form.cleaned_data["code"])
    return render(request, "teams/join_code.html", {"form": form})


def join_team(request: HttpRequest, invitation: Invitation, code: str) -> HttpResponse | None:
    """What joining a team means, then joining it, by a usable team invitation (``web.joining``);
    None if the team is gone."""
    team = (
        Team.objects.select_related("municipality__prefecture", "organisation")
        .filter(pk=invitation.target)
        .first()
    )
    if team is None:
        return None
    user = user_of(request)
    already = TeamMember.objects.filter(team=team, user=user).exists()
    if already:
        messages.info(request, _("すでにこのチームのメンバーです。"))
        return redirect("teams:detail", team.public_id)
    form = forms.JoinTeamForm(
        request.POST or None, initial={"roles": user.roles}, organisations=my_orgs(user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.join(
                invitation=invitation,
                user=user,
                roles=form.cleaned_data["roles"],
                affiliation=form.cleaned_data["affiliation"],
            )
        except (invitations.UsedUp, invitations.AwaitingApproval) as error:
            return refused(request, error)
        except services.JoinRefused:
            messages.error(request, _("このチームへの参加は、リーダーが承認しませんでした。"))
            return redirect("home")
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
        },
    )


def describe_team(invitation: Invitation) -> str | None:
    """「支援チーム「…」」, for the login and sign-up pages (``web.joining``); None if the team is gone."""
    team = Team.objects.select_related("municipality__prefecture").filter(pk=invitation.target).first()
    return _("支援チーム「%(team)s」") % {"team": presenters.team_label(team)} if team is not None else None
