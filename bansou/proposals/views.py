"""Team proposals, for the organisation's staff only (404 for a proposal of another organisation):
ask for a team for one 市町村 (the quick proposal at once), the exact proposal in a second short
request, and forming the team of one proposal with its invitations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bansou.accounts import audit
from bansou.accounts.http import AuthedRequest
from bansou.domain import forming
from bansou.domain.access import OrgAction
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.forming.codec import loads_outcome
from bansou.frameworks.queries import current_version, framework_of
from bansou.invitations import shown_once
from bansou.orgs.access import org_for
from bansou.orgs.models import Organisation
from bansou.proposals import forms, presenters, services, words
from bansou.proposals.models import TeamProposal
from bansou.proposals.pool import forming_pool, pool_choices, rule_keys
from bansou.web.http import parse_id

RECENT = 20  # proposals listed on the form's page


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new(request: AuthedRequest, org_id: str) -> HttpResponse:
    organisation, _membership = org_for(request, org_id, OrgAction.STAFF)
    form = forms.ProposalForm(
        request.POST if request.method == "POST" else None,
        people=pool_choices(organisation.pk),
        initial={"municipality": request.GET.get("municipality", "")},
    )
    if request.method == "POST" and form.is_valid():
        asked = services.Asked(**form.cleaned_data)
        framework = framework_of(current_version())
        pool = forming_pool(
            organisation.pk, framework, asked.municipality, asked.fiscal_year, timezone.localdate()
        )
        try:
            proposal = services.propose(
                organisation=organisation,
                user=request.user,
                asked=asked,
                pool=pool,
                request=asked.request(*rule_keys(framework)),
            )
        except services.Refused as refused:
            who = {key: pool.name(key) for key in pool.profiles}
            for problem in refused.problems:
                field, sentence = words.problem(problem, who, asked.fiscal_year, pool.start)
                form.add_error(field or None, sentence)
        else:
            target = f"{organisation.name}／{asked.municipality}／{format_fiscal_year(asked.fiscal_year)}"
            audit.record(request.user, audit.Kind.PROPOSAL, target)
            return redirect("proposals:detail", organisation.public_id, proposal.public_id)
    recent = (
        TeamProposal.objects.filter(organisation=organisation)
        .select_related("municipality__prefecture", "team")
        .order_by("-created_at")[:RECENT]
    )
    return render(
        request,
        "proposals/new.html",
        {
            "organisation": organisation,
            "form": form,
            "recent": [{"proposal": p, "fiscal_year": format_fiscal_year(p.fiscal_year)} for p in recent],
        },
    )


def _proposal(organisation: Organisation, proposal_id: str) -> TeamProposal:
    proposal = (
        TeamProposal.objects.select_related("municipality__prefecture", "team")
        .filter(organisation=organisation, public_id=parse_id(proposal_id))
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def _named(proposal: TeamProposal, outcome: forming.Outcome) -> set[int]:
    return (
        {int(k) for p in outcome.proposals for k in p.members}
        | set(proposal.must_in)
        | set(proposal.must_out)
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def detail(request: AuthedRequest, org_id: str, proposal_id: str) -> HttpResponse:
    organisation, _membership = org_for(request, org_id, OrgAction.STAFF)
    proposal = _proposal(organisation, proposal_id)
    return render(
        request, "proposals/detail.html", _detail_context(organisation, proposal, request.user.roles)
    )


def _detail_context(
    organisation: Organisation, proposal: TeamProposal, user_roles: list[str]
) -> dict[str, Any]:
    outcome = loads_outcome(proposal.exact if proposal.exact is not None else proposal.quick)
    framework = framework_of(current_version())
    pool = forming_pool(
        organisation.pk,
        framework,
        proposal.municipality,
        proposal.fiscal_year,
        timezone.localdate(),
        only=_named(proposal, outcome),
    )
    context = presenters.outcome_context(outcome, pool, framework, proposal.fiscal_year, proposal.needed)
    for alternative in context["alternatives"]:
        alternative["form"] = forms.FormTeamForm(
            initial={"roles": user_roles},
            members=alternative["member_keys"],
            prefix=f"a{alternative['number']}",
        )
    return {
        "organisation": organisation,
        "proposal": proposal,
        "fiscal_year": format_fiscal_year(proposal.fiscal_year),
        "exact_done": proposal.exact is not None,
        "must_in": [pool.name(str(k)) for k in proposal.must_in],
        "must_out": [pool.name(str(k)) for k in proposal.must_out],
        **context,
    }


@login_required
@require_POST
def exact(request: AuthedRequest, org_id: str, proposal_id: str) -> HttpResponse:
    """Works out the exact proposal (a few seconds at most: a deterministic work limit), then back to
    the proposal's page; JSON for the page's script."""
    organisation, _membership = org_for(request, org_id, OrgAction.STAFF)
    proposal = _proposal(organisation, proposal_id)
    asked = services.asked_of(proposal)
    framework = framework_of(current_version())
    pool = forming_pool(
        organisation.pk, framework, asked.municipality, asked.fiscal_year, timezone.localdate()
    )
    services.solve_exactly(proposal=proposal, pool=pool, request=asked.request(*rule_keys(framework)))
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"done": True})
    return redirect("proposals:detail", organisation.public_id, proposal.public_id)


@login_required
@require_POST
def form_team(request: AuthedRequest, org_id: str, proposal_id: str) -> HttpResponse:
    """Creates the team of one alternative, with its invitations (shown once on the team's members page)."""
    organisation, _membership = org_for(request, org_id, OrgAction.STAFF)
    proposal = _proposal(organisation, proposal_id)
    picked = _chosen(proposal, request.POST.get("alternative", ""))
    if picked is None:
        messages.error(request, _("チームを作る提案を選び直してください。"))
        return redirect("proposals:detail", organisation.public_id, proposal.public_id)
    number, chosen = picked
    pool = forming_pool(
        organisation.pk,
        framework_of(current_version()),
        proposal.municipality,
        proposal.fiscal_year,
        timezone.localdate(),
        only=[int(k) for k in chosen.members],
    )
    names = {key: pool.name(key) for key in chosen.members if key in pool.profiles}  # still in the pool
    form = forms.FormTeamForm(
        request.POST, members=[(int(k), name) for k, name in names.items()], prefix=f"a{number}"
    )
    if proposal.team_id is not None:
        messages.info(request, _("この提案からは、すでにチームを作りました。"))
        return redirect("teams:members", proposal.team.public_id)  # type: ignore[union-attr]
    if not form.is_valid():
        messages.error(request, _("チームを作れませんでした：%(errors)s") % {"errors": _errors(form)})
        return redirect("proposals:detail", organisation.public_id, proposal.public_id)
    try:
        team, issued = services.form_team(
            proposal=proposal,
            members=[int(k) for k in names],
            user=request.user,
            name=form.cleaned_data["name"],
            roles=form.cleaned_data["roles"],
            lead=form.cleaned_data["lead"],
            names=names,
        )
    except services.AlreadyFormed:
        messages.info(request, _("この提案からは、すでにチームを作りました。"))
        return redirect("proposals:detail", organisation.public_id, proposal.public_id)
    shown_once.keep(request, issued)
    _tell_formed(request, left=len(chosen.members) - len(names))
    return redirect("teams:members", team.public_id)


def _tell_formed(request: AuthedRequest, left: int) -> None:
    if left:
        messages.warning(
            request,
            _("提案のあと人材プールを離れた人が%(n)d人いました。その人には招待を作っていません。")
            % {"n": left},
        )
    messages.success(
        request,
        _(
            "チームを作りました。提案のメンバー一人ひとりへの招待リンクを作りました。下の表から、それぞれに渡してください。"
        ),
    )


def _chosen(proposal: TeamProposal, posted: str) -> tuple[int, forming.Proposal] | None:
    """The alternative asked for (1, 2 or 3) of the proposal's latest outcome; None for another."""
    outcome = loads_outcome(proposal.exact if proposal.exact is not None else proposal.quick)
    number = int(posted) if posted.isascii() and posted.isdigit() else 0
    if not 1 <= number <= len(outcome.proposals):
        return None
    return number, outcome.proposals[number - 1]


def _errors(form: forms.FormTeamForm) -> str:
    return "、".join(str(e) for errors in form.errors.values() for e in errors)
