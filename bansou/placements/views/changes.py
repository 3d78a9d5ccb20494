"""Accepting a plan (the organisation's staff, once), and a change a plan proposes to an existing team:
its page for the team's leads, who accept or decline it, and for the organisation's staff, who may
read it (404 for everyone else)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bansou.accounts.http import AuthedRequest
from bansou.accounts.models import User
from bansou.domain.access import OrgAction, TeamAction
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.orgs.access import org_for
from bansou.placements import acceptance, queries
from bansou.placements.models import ChangeProposal
from bansou.teams import offers
from bansou.teams.access import Seat, team_for
from bansou.teams.models import TeamMember
from bansou.web.http import parse_id


@login_required
@require_POST
def accept(request: AuthedRequest, org_id: str, plan_id: str) -> HttpResponse:
    organisation, _membership = org_for(request, org_id, OrgAction.STAFF)
    plan = queries.plan_of(organisation, plan_id)
    try:
        done = acceptance.accept(plan=plan, by=request.user)
    except acceptance.NothingToAccept:
        messages.error(request, _("受け入れられる計画がありません。"))
    except acceptance.TeamsChanged:
        messages.error(request, _("計画を作ってから、チームが変わりました。計画を作り直してください。"))
    else:
        if done.already:
            messages.info(request, _("この計画は、すでに受け入れています。"))
        else:
            messages.success(
                request,
                _(
                    "計画を受け入れました。%(teams)dチームを作り、配置した人に参加を依頼しました。"
                    "今のチーム%(changes)dつのリーダーに、変更を提案しました。"
                )
                % {"teams": len(done.created), "changes": len(done.proposed)},
            )
        if done.left_out:
            messages.warning(
                request,
                _("計画を作ってから人材プールを離れた%(n)d人には、参加を依頼していません。")
                % {"n": done.left_out},
            )
    return redirect("placements:detail", organisation.public_id, plan.public_id)


def _change(request: AuthedRequest, change_id: str) -> tuple[ChangeProposal, Seat]:
    """The change and the viewer's seat: the team's leads and the running organisation's staff; 404
    for everyone else (a member of the team too)."""
    change = (
        ChangeProposal.objects.select_related("plan", "team").filter(public_id=parse_id(change_id)).first()
    )
    if change is None:
        raise Http404
    seat = team_for(request, str(change.team.public_id), TeamAction.SEE)
    if not (seat.relation.lead or seat.relation.org_staff):
        raise Http404
    return change, seat


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def change(request: AuthedRequest, change_id: str) -> HttpResponse:
    found, seat = _change(request, change_id)
    # the team's leads decide; a team with no lead yet (made by a plan, nobody has answered) has its
    # change decided by the running organisation's staff
    may_decide = seat.relation.lead or (
        seat.relation.org_staff and not TeamMember.objects.filter(team=seat.team, is_lead=True).exists()
    )
    if request.method == "POST":
        if not may_decide:
            raise Http404
        answer = request.POST.get("answer", "")
        if answer not in {"accept", "decline"}:
            messages.error(request, _("受け入れるか見送るかを選んでください。"))
        else:
            try:
                acceptance.decide(change=found, by=request.user, accept=answer == "accept")
            except offers.Closed:
                messages.error(request, _("アーカイブしたチームには、参加を依頼できません。"))
            if found.status == ChangeProposal.Status.CLOSED:
                messages.error(request, _("チームはアーカイブされているため、この提案は締め切りました。"))
        return redirect("placements:change", found.public_id)
    return render(request, "placements/change.html", _context(found, seat, may_decide))


def _context(found: ChangeProposal, seat: Seat, may_decide: bool) -> dict[str, object]:
    ids = [int(entry[0]) for entry in found.add] + [int(u) for u in found.remove]
    people = {u.pk: str(u) for u in User.objects.filter(pk__in=ids)}
    return {
        "change": found,
        "team": seat.team,
        "fiscal_year": format_fiscal_year(seat.team.fiscal_year),
        "add": [people.get(int(entry[0]), "—") for entry in found.add],
        "remove": [people.get(int(u), "—") for u in found.remove],
        "may_decide": may_decide and found.status == ChangeProposal.Status.OPEN,
        "no_lead": may_decide and not seat.relation.lead,
    }
