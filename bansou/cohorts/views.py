"""Pages of 研修: list, create, join, a participant's hand-ins, the organiser's status and totals, the
projector view, settings, closing a phase; and the organisation's overview of shared checks."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bansou.accounts.http import AuthedRequest
from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.cohorts import disclosure, exports, forms, presenters, queries, services
from bansou.cohorts.access import Seat, cohort_for
from bansou.cohorts.models import Cohort, Participant, Phase
from bansou.domain.access import CohortAction, OrgAction
from bansou.domain.fiscal_year import fiscal_year_of, format_fiscal_year
from bansou.domain.framework import Framework
from bansou.frameworks.queries import current_version, framework_of
from bansou.orgs.access import org_for
from bansou.orgs.models import Membership, Organisation
from bansou.reports import fillin, pdf, responses, uploads
from bansou.reports import render as report_render
from bansou.web.codes import format_code, normalise_code
from bansou.web.fields import CodeForm


def _framework() -> Framework:
    return framework_of(current_version())


def _staff_orgs(user: User) -> list[Organisation]:
    return [
        m.organisation
        for m in Membership.objects.filter(
            user=user, role__in=[Membership.Role.ADMIN, Membership.Role.STAFF]
        ).select_related("organisation")
    ]


def _phase(phase: str) -> str:
    if phase not in Phase.values:
        raise Http404
    return phase


def _dates(cohort: Cohort) -> dict[str, Any]:
    return {
        "fiscal_year": format_fiscal_year(cohort.fiscal_year),
        "phases": [
            {
                "phase": phase,
                "label": label,
                "deadline": cohort.deadline(phase),
                "closed": cohort.is_closed(phase),
                "closed_early": cohort.closed_at(phase) is not None,
            }
            for phase, label in Phase.choices
        ],
    }


@login_required
@require_GET
def cohort_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    taking, running = queries.cohorts_of(user.pk)
    return render(
        request,
        "cohorts/list.html",
        {
            "taking": [{"cohort": c, **_dates(c)} for c in taking],
            "running": [{"cohort": c, **_dates(c)} for c in running],
            "can_create": bool(_staff_orgs(user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    organisations = _staff_orgs(user)
    if not organisations:
        return render(request, "cohorts/create_no_org.html", status=403)
    form = forms.CohortForm(request.POST if request.method == "POST" else None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("organisation", None)
        organisation = next((o for o in organisations if str(o.public_id) == chosen), organisations[0])
        cohort = services.create_cohort(
            user=user, organisation=organisation, framework=current_version(), **data
        )
        messages.success(request, _("研修を作成しました。参加用のリンクかコードを参加者に伝えてください。"))
        return redirect("cohorts:detail", cohort.public_id)
    return render(request, "cohorts/create.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def join_by_code(request: AuthedRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect("cohorts:join", form.cleaned_data["code"])
    return render(request, "cohorts/join_code.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def join(request: AuthedRequest, code: str) -> HttpResponse:
    """Shows what joining means, then joins."""
    user = request.user
    cohort = Cohort.objects.select_related("organisation").filter(join_code=normalise_code(code)).first()
    if cohort is None:
        return render(request, "cohorts/join_invalid.html", status=404)
    if Participant.objects.filter(cohort=cohort, user=user).exists():
        messages.info(request, _("すでにこの研修に参加しています。"))
        return redirect("cohorts:detail", cohort.public_id)
    if request.method == "POST":
        services.join(cohort=cohort, user=user)
        messages.success(request, _("研修に参加しました。事前チェックを提出してください。"))
        return redirect("cohorts:detail", cohort.public_id)
    return render(
        request, "cohorts/join.html", {"cohort": cohort, **_dates(cohort), "code": cohort.join_code}
    )


@login_required
@require_GET
def detail(request: AuthedRequest, cohort_id: str) -> HttpResponse:
    seat = cohort_for(request, cohort_id, CohortAction.SEE)
    cohort = seat.cohort
    context: dict[str, Any] = {"seat": seat, "cohort": cohort, **_dates(cohort)}
    if seat.participant_id is not None:
        context.update(_participant_context(request, seat))
    if seat.can(CohortAction.ORGANISE):
        context.update(_organiser_context(request, cohort))
    return render(request, "cohorts/detail.html", context)


def _participant_context(request: AuthedRequest, seat: Seat) -> dict[str, Any]:
    assert seat.participant_id is not None
    hand_ins = queries.hand_ins_of(seat.participant_id)
    # The person's checks of the 研修's version: the newest 20, and whatever they handed in already.
    own = Check.objects.filter(owner_id=request.user.pk, framework=seat.cohort.framework)
    checks = list(own.order_by("-submitted_at")[:20])
    checks += [s.check_record for s in hand_ins.values() if s.check_record not in checks]
    mine = []
    for phase, label in Phase.choices:
        handed = hand_ins.get(phase)
        mine.append(
            {
                "phase": phase,
                "label": label,
                "handed": handed,
                "closed": seat.cohort.is_closed(phase),
                "deadline": seat.cohort.deadline(phase),
                "form": forms.HandInForm(
                    checks=checks,
                    phase_label=str(label),
                    prefix=phase,
                    initial={"check_id": str(handed.check_record.public_id) if handed else None},
                ),
            }
        )
    return {"mine": mine, "has_checks": bool(checks)}


def _organiser_context(request: AuthedRequest, cohort: Cohort) -> dict[str, Any]:
    status = queries.status_of(cohort)
    link = request.build_absolute_uri(reverse("cohorts:join", args=[format_code(cohort.join_code)]))
    return {
        "status": status,
        "pre_count": sum(s.pre_at is not None for s in status),
        "post_count": sum(s.post_at is not None for s in status),
        "missing_pre_text": "\n".join(str(s.user) for s in status if s.pre_at is None),
        "missing_post_text": "\n".join(str(s.user) for s in status if s.post_at is None),
        "join_link": link,
        "join_code": format_code(cohort.join_code),
    }


@login_required
@require_POST
def hand_in(request: AuthedRequest, cohort_id: str, phase: str) -> HttpResponse:
    seat = cohort_for(request, cohort_id, CohortAction.SUBMIT)
    phase = _phase(phase)
    assert seat.participant_id is not None  # allowed to hand in: a participant
    participant = Participant.objects.get(pk=seat.participant_id)
    check_id = request.POST.get(f"{phase}-check_id", "")
    try:
        services.hand_in(participant=participant, phase=phase, check_public_id=check_id)
    except services.PhaseClosed:
        messages.error(request, _("締切を過ぎたため提出できません。"))
    except services.OtherVersion:
        messages.error(
            request,
            _("この研修は「%(version)s」版のチェックで提出します。その版でチェックしてから提出してください。")
            % {"version": seat.cohort.framework.version},
        )
    except services.NotYourCheck:
        messages.error(request, _("提出するチェックを選んでください。"))
    except services.SameCheck:
        messages.error(
            request, _("事後チェックには、事前チェックより後に提出した別のチェックを選んでください。")
        )
    else:
        messages.success(
            request,
            _("%(phase)sを提出しました。主催者に見えるのは提出したことだけで、回答は見えません。")
            % {"phase": Phase(phase).label},
        )
    return redirect("cohorts:detail", seat.cohort.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def leave(request: AuthedRequest, cohort_id: str) -> HttpResponse:
    seat = cohort_for(request, cohort_id, CohortAction.SUBMIT)
    if request.method == "POST":
        assert seat.participant_id is not None
        services.leave(participant=Participant.objects.get(pk=seat.participant_id))
        messages.success(request, _("研修への参加をやめました。提出は取り消され、集計に含まれなくなります。"))
        return redirect("cohorts:list")
    return render(request, "cohorts/leave.html", {"cohort": seat.cohort})


@login_required
@require_GET
def results(request: AuthedRequest, cohort_id: str, as_pdf: bool = False) -> HttpResponse:
    """The organiser's totals; with ``as_pdf`` the same page as an A4 PDF."""
    seat = cohort_for(request, cohort_id, CohortAction.ORGANISE)
    framework = framework_of(seat.cohort.framework)
    totals = disclosure.cohort_totals(seat.cohort, framework, request.user.pk)
    return pdf.respond(
        request,
        "cohorts/results.html",
        {"cohort": seat.cohort, **_dates(seat.cohort), **presenters.cohort_results(totals, framework)},
        pdf_name="bansou-cohort-totals" if as_pdf else None,
    )


@login_required
@require_GET
def results_xlsx(request: AuthedRequest, cohort_id: str) -> HttpResponse:
    """The totals the page shows, as a workbook: only what the five-person rule lets the page show."""
    seat = cohort_for(request, cohort_id, CohortAction.ORGANISE)
    framework = framework_of(seat.cohort.framework)
    totals = disclosure.cohort_totals(seat.cohort, framework, request.user.pk)
    book = exports.totals_workbook(seat.cohort, framework, totals, exported_at=timezone.localtime())
    return responses.xlsx(book, exports.FILE_NAME)


@login_required
@require_GET
def results_csv(request: AuthedRequest, cohort_id: str) -> HttpResponse:
    seat = cohort_for(request, cohort_id, CohortAction.ORGANISE)
    framework = framework_of(seat.cohort.framework)
    totals = disclosure.cohort_totals(seat.cohort, framework, request.user.pk)
    table = exports.totals_sheet(framework, totals)
    return responses.csv(request, table, exports.FILE_NAME, back=reverse("cohorts:results", args=[cohort_id]))


# Paper results typed in by the organiser -----------------------------------------------------------


@login_required
@require_GET
def paper_xlsx(request: AuthedRequest, cohort_id: str) -> HttpResponse:
    """The entry workbook: a row per participant, two answer columns per item."""
    seat = cohort_for(request, cohort_id, CohortAction.ORGANISE)
    framework = framework_of(seat.cohort.framework)
    body = fillin.blank_cohort(
        framework,
        cohort_id=str(seat.cohort.public_id),
        cohort_name=seat.cohort.name,
        participants=queries.participant_rows(seat.cohort),
    )
    return responses.download(body, report_render.XLSX, f"bansou-cohort-entry-{responses.stamp()}.xlsx")


REFUSED = {
    services.Refused.HANDED_IN: gettext_lazy("この段階のチェックをすでに提出しています。"),
    services.Refused.LEFT: gettext_lazy("研修から抜けています。"),
    services.Refused.POST_FIRST: gettext_lazy(
        "事後チェックを先に提出しているため、事前チェックとして入力できません。"
    ),
    services.Refused.PRE_LATER: gettext_lazy(
        "事前チェックが、回答した日より後の日付です。回答した日を確かめてください。"
    ),
}


def _paper_page(request: AuthedRequest, seat: Seat, problems: list[str], status: int = 200) -> HttpResponse:
    cohort = seat.cohort
    framework = framework_of(cohort.framework)
    open_phases = [(phase, label) for phase, label in Phase.choices if not cohort.is_closed(phase)]
    context = {
        "cohort": cohort,
        "open_phases": open_phases,
        "problems": problems,
        "participants": Participant.objects.filter(cohort=cohort).count(),
        "limit_mb": fillin.COHORT_LIMIT // (1024 * 1024),
        "today": timezone.localdate(),
        "axes": framework.axes,
        "choices": fillin.choices_text(framework.scale),
        "answered_on": request.POST.get("answered_on", ""),
        "chosen_phase": request.POST.get("phase", ""),
        **_dates(cohort),
    }
    return render(request, "cohorts/paper.html", context, status=status)


def _paper_too_large(request: AuthedRequest) -> HttpResponse:
    seat = cohort_for(request, str(request.resolver_match.kwargs["cohort_id"]), CohortAction.ORGANISE)  # type: ignore[union-attr]
    return _paper_page(request, seat, [uploads.too_large_text(fillin.COHORT_LIMIT)], status=413)


@login_required
@require_http_methods(["GET", "POST"])
@uploads.limited_upload(fillin.COHORT_LIMIT, _paper_too_large)
def paper(request: AuthedRequest, cohort_id: str) -> HttpResponse:
    """Answers from paper sheets, typed into the entry workbook, recorded as the participants' checks."""
    seat = cohort_for(request, cohort_id, CohortAction.ORGANISE)
    if request.method != "POST":
        return _paper_page(request, seat, [])
    cohort = seat.cohort
    phase = request.POST.get("phase", "")
    upload = request.FILES.get("file")
    if phase not in Phase.values or cohort.is_closed(phase):
        return _paper_page(request, seat, [_("受け付け中の段階（事前・事後）を選んでください。")], status=400)
    try:
        answered_on = datetime.date.fromisoformat(request.POST.get("answered_on", ""))
    except ValueError:
        answered_on = None
    if answered_on is None or answered_on > timezone.localdate():
        return _paper_page(request, seat, [_("回答した日を、今日までの日付で入力してください。")], status=400)
    if upload is None:
        return _paper_page(request, seat, [_("取り込む xlsx ファイルを選んでください。")], status=400)
    names = {entrant.code: entrant.name for entrant in queries.participant_rows(cohort)}
    try:
        sheet = fillin.read_cohort(
            upload.read(fillin.COHORT_LIMIT + 1),
            framework_of(cohort.framework),
            cohort_id=str(cohort.public_id),
            participants=list(names),
        )
    except fillin.FillInError as error:
        return _paper_page(request, seat, [str(p) for p in error.problems], status=400)
    rows = [services.PaperRow(row.row, int(row.participant), row.answers) for row in sheet.rows]
    try:
        count = services.enter_paper_results(
            cohort=cohort, phase=phase, rows=rows, entered_by=request.user, answered_on=answered_on
        )
    except services.PhaseClosed:
        return _paper_page(request, seat, [_("この段階は締め切られています。")], status=409)
    except services.PaperRefused as refused:
        return _paper_page(request, seat, _refusal_texts(refused.refusals, sheet.rows, names), status=409)
    messages.success(
        request,
        _("%(count)d 人分の%(phase)sを記録しました。") % {"count": count, "phase": Phase(phase).label},
    )
    return redirect("cohorts:detail", cohort.public_id)


def _refusal_texts(
    refusals: Sequence[services.Refusal], rows: Sequence[fillin.CohortRow], names: Mapping[str, str]
) -> list[str]:
    """A line per refusal: the workbook's row, the participant's name as in the file, and why."""
    who = {row.row: names.get(row.participant, row.participant) for row in rows}
    return [
        _("シート「入力」の %(row)d 行目（%(name)s さん）：%(reason)s")
        % {"row": refusal.row, "name": who.get(refusal.row, ""), "reason": REFUSED[refusal.reason]}
        for refusal in refusals
    ]


@login_required
@require_GET
def projector(request: AuthedRequest, cohort_id: str) -> HttpResponse:
    seat = cohort_for(request, cohort_id, CohortAction.ORGANISE)
    framework = framework_of(seat.cohort.framework)
    totals = disclosure.cohort_totals(seat.cohort, framework, request.user.pk)
    context = presenters.cohort_results(totals, framework)
    return render(
        request, "cohorts/projector.html", {"cohort": seat.cohort, **_dates(seat.cohort), **context}
    )


@login_required
@require_http_methods(["GET", "POST"])
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
    services.new_join_code(cohort=seat.cohort)
    messages.success(request, _("参加コードを再発行しました。前のリンクとコードは使えません。"))
    return redirect("cohorts:detail", seat.cohort.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def close(request: AuthedRequest, cohort_id: str, phase: str) -> HttpResponse:
    seat = cohort_for(request, cohort_id, CohortAction.ORGANISE)
    phase = _phase(phase)
    if request.method == "POST":
        services.close_phase(cohort=seat.cohort, phase=phase)
        messages.success(request, _("%(phase)sを締め切りました。") % {"phase": Phase(phase).label})
        return redirect("cohorts:detail", seat.cohort.public_id)
    return render(
        request,
        "cohorts/close.html",
        {"cohort": seat.cohort, "phase": phase, "phase_label": Phase(phase).label, "now": timezone.now()},
    )


@login_required
@require_GET
def org_overview(request: AuthedRequest, org_id: str) -> HttpResponse:
    organisation, _membership = org_for(request, org_id, OrgAction.STAFF)
    form = forms.OverviewForm(request.GET or None)
    year = fiscal_year_of(timezone.localdate())
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["fiscal_year"]
    elif not form.is_bound:
        form = forms.OverviewForm(initial={"fiscal_year": year})
    context = presenters.overview(organisation, year, _framework(), request.user.pk)
    return render(
        request,
        "cohorts/overview.html",
        {
            "organisation": organisation,
            "form": form,
            "fiscal_year": format_fiscal_year(year),
            **context,
        },
    )
