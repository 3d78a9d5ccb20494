"""The organiser's settings of a 研修: names and dates, a new join code, closing a phase."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bansou.accounts.http import AuthedRequest
from bansou.cohorts import forms, services
from bansou.cohorts.access import cohort_for
from bansou.cohorts.models import Phase
from bansou.cohorts.views.common import phase_or_404
from bansou.domain.access import CohortAction
from bansou.invitations import shown_once


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings(request: AuthedRequest, cohort_id: str) -> HttpResponse:
    seat = cohort_for(request, cohort_id, CohortAction.ORGANISE)
    cohort = seat.cohort
    initial = {
        f: getattr(cohort, f)
        for f in ("name", "fiscal_year", "starts_on", "ends_on", "pre_deadline", "post_deadline")
    }
    form = forms.CohortForm(
        request.POST if request.method == "POST" else None, initial=initial, year=cohort.fiscal_year
    )
    for phase, name in ((Phase.PRE, "pre_deadline"), (Phase.POST, "post_deadline")):
        if cohort.is_closed(phase):
            form.fields[name].disabled = True
            form.fields[name].help_text = _("締め切ったため変更できません（集計が確定しています）。")
    if request.method == "POST" and form.is_valid():
        services.update_cohort(cohort=cohort, **form.cleaned_data)
        messages.success(request, _("研修の設定を保存しました。"))
        return redirect("cohorts:detail", cohort.public_id)
    return render(
        request, "cohorts/settings.html", {"cohort": cohort, "form": form}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def new_code(request: AuthedRequest, cohort_id: str) -> HttpResponse:
    seat = cohort_for(request, cohort_id, CohortAction.ORGANISE)
    form = forms.NewCodeForm(request.POST)
    # Asked of 職員, the service refuses (403): only the organisation's 管理者 may let a code make accounts.
    grants_signup = bool(form.is_valid() and form.cleaned_data["grants_signup"])
    shown_once.keep(
        request, services.new_join_code(cohort=seat.cohort, by=request.user, grants_signup=grants_signup)
    )
    messages.success(request, _("参加コードを再発行しました。前のリンクとコードは使えません。"))
    return redirect("cohorts:detail", seat.cohort.public_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def close(request: AuthedRequest, cohort_id: str, phase: str) -> HttpResponse:
    seat = cohort_for(request, cohort_id, CohortAction.ORGANISE)
    phase = phase_or_404(phase)
    if request.method == "POST":
        services.close_phase(cohort=seat.cohort, phase=phase)
        messages.success(request, _("%(phase)sを締め切りました。") % {"phase": Phase(phase).label})
        return redirect("cohorts:detail", seat.cohort.public_id)
    return render(
        request,
        "cohorts/close.html",
        {"cohort": seat.cohort, "phase": phase, "phase_label": Phase(phase).label, "now": timezone.now()},
    )
