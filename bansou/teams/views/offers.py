"""Offers of a place in a team: the person's page to answer one, withdrawing one (a lead or the running
organisation's staff), and what the team list and the team page show of them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bansou.accounts.http import AuthedRequest
from bansou.accounts.models import User
from bansou.domain.access import TeamAction
from bansou.teams import offers, presenters
from bansou.teams.access import Seat, offer_for, team_for, team_offer
from bansou.teams.forms import ACCEPT, AnswerForm, LeadForm
from bansou.teams.models import Offer, TeamMember


def state(offer: Offer) -> str:
    """回答待ち, 参加, 辞退, or 締め切り (closed when the team was archived or they joined another way)."""
    if offer.accepted is None and getattr(offer, "settled", False):
        return _("参加")  # joined the team by another way (the offer open, or closed when they joined)
    if offer.answered_at is not None:
        if offer.accepted is None:
            return _("締め切り")
        return _("参加") if offer.accepted else _("辞退")
    return _("回答待ち") if offer.team.archived_at is None else _("締め切り（チームはアーカイブ済み）")


def asked_by(offer: Offer) -> str:
    return str(offer.offered_by) if offer.offered_by else _("（退会した人）")


def offer_rows(found: list[Offer]) -> list[dict[str, Any]]:
    """The person's open offers, for the top of the team list."""
    return [
        {"offer": o, "listing": o.team.listing, "by": asked_by(o), "reason": o.get_reason_display()}
        for o in found
    ]


def team_offer_rows(seat: Seat) -> list[dict[str, Any]]:
    """The team's offers for its page (its leads and the running organisation's staff): who was asked,
    as what, and their answer."""
    return [
        {
            "offer": o,
            "role": _("リーダー") if o.is_lead else _("メンバー"),
            "roles": presenters.roles_label(list(o.roles)) if o.roles else "",
            "reason": o.get_reason_display(),
            "state": state(o),
            "open": o.is_open and not getattr(o, "settled", False),
        }
        for o in offers.offers_of(seat.team)
    ]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def offer_page(request: AuthedRequest, offer_id: str) -> HttpResponse:
    """The person's offer: the team, who asked and why, 「参加する」/「辞退する」. Answering twice
    changes nothing; accepting leads to the team's share page."""
    offer = offer_for(request, offer_id)
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("「参加する」か「辞退する」を選んでください。"))
            return redirect("teams:offer", offer.public_id)
        return _answer(request, offer, accept=form.cleaned_data["answer"] == ACCEPT)
    member = TeamMember.objects.filter(team=offer.team, user=request.user).exists()
    context = {
        "offer": offer,
        "listing": offer.team.listing,
        "by": asked_by(offer),
        "state": state(offer),
        "roles": presenters.roles_label(list(offer.roles or request.user.roles)),
        "member": member,
    }
    return render(request, "teams/offer.html", context)


def _answer(request: AuthedRequest, offer: Offer, *, accept: bool) -> HttpResponse:
    if offer.answered_at is not None:
        if offer.accepted is None:
            messages.error(request, _("この依頼は締め切られたため、回答できません。"))
        else:
            messages.info(request, _("この依頼にはすでに回答しています。回答は変わりません。"))
        return redirect("teams:offer", offer.public_id)
    try:
        member = offers.answer(offer=offer, accept=accept)
    except offers.Closed:
        messages.error(request, _("このチームはアーカイブされたため、この依頼には回答できません。"))
        return redirect("teams:offer", offer.public_id)
    except Offer.DoesNotExist:
        raise Http404 from None
    if member is None:
        messages.success(request, _("「%(team)s」への参加を辞退しました。") % {"team": offer.team.listing})
        return redirect("teams:list")
    messages.success(
        request,
        _(
            "チームに参加しました。チームに共有するチェックを選んでください。"
            "選ぶまでは、あなたのチェックはチームに見えません。"
        ),
    )
    return redirect("teams:share", offer.team.public_id)


@login_required
@require_POST
def withdraw(request: AuthedRequest, team_id: str, offer_id: str) -> HttpResponse:
    """Withdraws an open offer; an answered one stays as it is."""
    seat = team_for(request, team_id, TeamAction.STEWARD)
    offer = team_offer(seat, offer_id)
    try:
        gone = offers.withdraw(offer=offer)
    except offers.LastLeadOffer:
        messages.error(
            request,
            _(
                "このチームにはリーダーがいません。この依頼はリーダーを頼む最後の依頼のため、取り消せません。"
                "取り消すときは、先にほかの人にリーダーを頼んでください。"
            ),
        )
        return redirect("teams:detail", seat.team.public_id)
    if gone:
        messages.success(request, _("%(name)s さんへの依頼を取り消しました。") % {"name": offer.user})
    else:  # answered or closed (perhaps a moment ago): it stays as it is
        messages.error(request, _("回答済みか締め切られた依頼は取り消せません。依頼はそのまま残っています。"))
    return redirect("teams:detail", seat.team.public_id)


def open_offers(user: User) -> list[dict[str, Any]]:
    """For the team list: the person's open offers. One query."""
    return offer_rows(offers.open_offers(user))


def lead_context(seat: Seat, members: list[TeamMember], *, pdf: bool) -> dict[str, Any]:
    """For the team page: whether the team has no lead (said to everyone who sees the page), and for a
    steward of a live team the form to ask someone to lead it. No query for a team with a lead."""
    if any(m.is_lead for m in members):
        return {"no_lead": False}
    asked = Offer.objects.filter(team=seat.team, is_lead=True, answered_at__isnull=True).exists()
    context: dict[str, Any] = {"no_lead": True, "lead_asked": asked}
    if seat.can(TeamAction.STEWARD) and seat.team.archived_at is None and not pdf:
        candidates = offers.lead_candidates(seat.team, staff=seat.relation.org_staff)
        context["lead_form"] = LeadForm(candidates=candidates) if candidates else None
    return context


@login_required
@require_POST
def ask_lead(request: AuthedRequest, team_id: str) -> HttpResponse:
    """A steward asks someone to lead a team with no lead: a member, or (staff) a member of the running
    organisation. Refused for a team with a lead (its leads choose leads on the members page)."""
    seat = team_for(request, team_id, TeamAction.STEWARD)
    team = seat.team
    if team.archived_at is not None or offers.has_lead(team):
        messages.error(
            request, _("このチームにはリーダーがいるか、アーカイブされているため、ここでは頼めません。")
        )
        return redirect("teams:detail", team.public_id)
    candidates = offers.lead_candidates(team, staff=seat.relation.org_staff)
    form = LeadForm(request.POST, candidates=candidates)
    if not form.is_valid():
        messages.error(request, _("リーダーを頼む人を一覧から選んでください。"))
        return redirect("teams:detail", team.public_id)
    made = offers.ask_to_lead(team=team, user_id=form.cleaned_data["person"], by=request.user)
    name = dict(candidates)[form.cleaned_data["person"]]
    if made is None:
        messages.info(request, _("%(name)s さんにはすでに参加を頼んでいます。") % {"name": name})
    else:
        messages.success(
            request,
            _("%(name)s さんにリーダーを頼みました。アプリの中で「参加する」を選ぶと、リーダーになります。")
            % {"name": name},
        )
    return redirect("teams:detail", team.public_id)
