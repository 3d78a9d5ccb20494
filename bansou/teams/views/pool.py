"""The pool: people in an organisation's pool who practise the elements a team lacks; and one's own
sharing, with the record of who looked at one's answers."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from bansou.accounts import audit
from bansou.accounts.http import AuthedRequest
from bansou.domain.access import OrgAction, TeamAction
from bansou.domain.coverage import labels_of
from bansou.domain.fiscal_year import fiscal_year_of, format_fiscal_year
from bansou.domain.framework import Framework
from bansou.orgs.access import org_for
from bansou.orgs.models import Membership, Organisation
from bansou.sharing import queries as sharing_queries
from bansou.teams import forms, pool_presenter, presenters, queries, selection
from bansou.teams.access import Seat, team_for
from bansou.teams.models import TeamMember
from bansou.teams.views.common import current_framework


@login_required
@require_safe
def team_pool(request: AuthedRequest, team_id: str) -> HttpResponse:
    """For a team's gaps: people in the running organisation's pool who practise those elements and
    C labels."""
    seat = team_for(request, team_id, TeamAction.POOL)
    organisation = seat.team.organisation
    assert organisation is not None  # org staff implies an organisation
    return _pool(request, organisation, seat=seat)


@login_required
@require_safe
def org_pool(request: AuthedRequest, org_id: str) -> HttpResponse:
    organisation, _membership = org_for(request, org_id, OrgAction.STAFF)
    return _pool(request, organisation, seat=None)


def _pool(request: AuthedRequest, organisation: Organisation, seat: Seat | None) -> HttpResponse:
    framework = current_framework()
    data: dict[str, Any] = request.GET.copy()
    exclude: list[int] = []
    if seat is not None:
        if "fiscal_year" not in request.GET:
            data["fiscal_year"] = str(seat.team.fiscal_year)
        exclude = list(TeamMember.objects.filter(team=seat.team).values_list("user_id", flat=True))
    elif "fiscal_year" not in request.GET:
        data["fiscal_year"] = str(fiscal_year_of(timezone.localdate()))
    submitted = any(
        key in request.GET for key in ("elements", "labels", "fiscal_year")
    )  # the form sends its 年度
    form = forms.PoolSearchForm(
        data if submitted else None,
        framework=framework,
        initial=data,
        team_year=seat.team.fiscal_year if seat else None,
    )
    people: list[queries.PoolPerson] = []
    found = 0
    if form.is_bound and form.is_valid():
        people, found = queries.pool_candidates(
            organisation,
            form.cleaned_data["elements"],
            form.cleaned_data["fiscal_year"],
            exclude=exclude,
            labels=form.cleaned_data["labels"],
        )
        audit.record(request.user, audit.Kind.POOL_SEARCH, _searched(organisation, seat, form.cleaned_data))
    return render(
        request,
        "teams/pool.html",
        {
            "organisation": organisation,
            "seat": seat,
            "label": presenters.team_label(seat.team) if seat else "",
            "form": form,
            "people": _rows(
                organisation, people, framework, form.cleaned_data["fiscal_year"] if people else 0
            ),
            "found": found,
            "caution": framework.texts.caution,
            "searched": form.is_bound,
            "fiscal_year": format_fiscal_year(form.cleaned_data["fiscal_year"])
            if form.is_bound and form.is_valid()
            else "",
        },
    )


def _searched(organisation: Organisation, seat: Seat | None, asked: dict[str, Any]) -> str:
    """The audit log's label of a search: where, for which team, and what was asked (no one found)."""
    where = f"{organisation.name}（{presenters.team_label(seat.team)}）" if seat else organisation.name
    elements = "・".join(str(e) for e in asked["elements"]) or "なし"
    labels = "・".join(asked["labels"]) or "なし"
    return f"{where}／{format_fiscal_year(asked['fiscal_year'])}／エレメント {elements}／力 {labels}"


def _rows(
    organisation: Organisation,
    people: list[queries.PoolPerson],
    framework: Framework,
    fiscal_year: int,
) -> list[dict[str, Any]]:
    """The people found, each with the elements and C labels they fill, their teams that 年度 and
    their profile."""
    names = {e.number: e.name for e in framework.elements}
    label_names = {label.code: label.name for label in labels_of(framework)}
    profiles = (
        selection.profiles_of(organisation.pk, [p.user.pk for p in people], fiscal_year) if people else {}
    )
    today = timezone.localdate()
    return [
        {
            "person": p,
            "fills": [names[e] for e in p.match.fills] + [label_names[c] for c in p.match.fills_labels],
            "teams": [t.listing for t in p.teams],
            "profile": _summary(profiles.get(p.user.pk), fiscal_year, today),
        }
        for p in people
    ]


def _summary(profile: selection.PoolProfile | None, fiscal_year: int, today: date) -> dict[str, Any] | None:
    if profile is None:
        return None
    return {"membership_id": profile.membership_id, **pool_presenter.summary(profile, fiscal_year, today)}


@login_required
@require_safe
def pool_person(request: AuthedRequest, org_id: str, membership_id: int) -> HttpResponse:
    """A pool member's supporter profile, for the organisation's staff, while they are in its pool
    (after they leave it, the page does not exist for the staff: 404)."""
    organisation, _membership = org_for(request, org_id, OrgAction.STAFF)
    user_id = (
        Membership.objects.filter(pk=membership_id, organisation=organisation, in_pool=True)
        .values_list("user_id", flat=True)
        .first()
    )
    if user_id is None:
        raise Http404
    today = timezone.localdate()
    fiscal_year = fiscal_year_of(today)
    profile = selection.profiles_of(organisation.pk, [user_id], fiscal_year)[user_id]
    target = f"{organisation.name}／{profile.display_name}"
    audit.record(request.user, audit.Kind.POOL_PERSON, target, subject_id=user_id)
    context = {
        "organisation": organisation,
        "person": profile,
        "profile": pool_presenter.summary(profile, fiscal_year, today),
    }
    return render(request, "teams/pool_person.html", context)


@login_required
@require_safe
def my_sharing(request: AuthedRequest) -> HttpResponse:
    user = request.user
    shares = sharing_queries.shares_of(user)
    return render(
        request,
        "teams/my_sharing.html",
        {
            "team_shares": [{"share": s, "label": s.team.listing} for s in shares if s.team is not None],
            "org_shares": [s for s in shares if s.organisation_id is not None],
            "log": queries.access_log_of(user),
            "audit": audit.about(user),
        },
    )
