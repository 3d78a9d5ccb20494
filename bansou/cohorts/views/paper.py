"""Paper results typed in by the organiser: the entry workbook, and the upload that records the
participants' checks (all or nothing)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from bansou.accounts.http import AuthedRequest
from bansou.cohorts import presenters, queries, services
from bansou.cohorts.access import Seat, cohort_for
from bansou.cohorts.models import PAPER_DAYS_BEFORE, Cohort, Participant, Phase
from bansou.domain.access import CohortAction
from bansou.frameworks.queries import framework_of
from bansou.reports import fillin, responses, uploads
from bansou.reports import render as report_render
from bansou.reports.fillin_messages import describe_all


@login_required
@require_safe
def paper_xlsx(request: AuthedRequest, cohort_id: str) -> HttpResponse:
    """The entry workbook: a row per participant, two answer columns per item."""
    seat = cohort_for(request, cohort_id, CohortAction.ORGANISE)
    framework = framework_of(seat.cohort.framework)
    body = fillin.blank_cohort(
        framework,
        cohort_id=str(seat.cohort.public_id),
        cohort_name=seat.cohort.name,
        participants=[(entrant.code, entrant.name) for entrant in queries.participant_rows(seat.cohort)],
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


def _window_text(cohort: Cohort) -> str:
    """The days a paper answer may be dated, in words."""
    earliest, latest = cohort.paper_dates()
    return _(
        "回答した日は、研修の初日（%(starts)s）の %(days)d 日前の %(earliest)s から、今日（%(today)s）までの"
        "日付で入力してください。"
    ) % {
        "starts": dateformat.format(cohort.starts_on, "Y年n月j日"),
        "days": PAPER_DAYS_BEFORE,
        "earliest": dateformat.format(earliest, "Y年n月j日"),
        "today": dateformat.format(latest, "Y年n月j日"),
    }


def _paper_page(request: AuthedRequest, seat: Seat, problems: list[str], status: int = 200) -> HttpResponse:
    cohort = seat.cohort
    earliest, latest = cohort.paper_dates()
    framework = framework_of(cohort.framework)
    open_phases = [(phase, label) for phase, label in Phase.choices if cohort.is_open(phase)]
    context = {
        "cohort": cohort,
        "open_phases": open_phases,
        "problems": problems,
        "participants": Participant.objects.filter(cohort=cohort).count(),
        "limit_mb": fillin.COHORT_LIMIT // (1024 * 1024),
        "today": latest,
        "earliest": earliest,
        "window": _window_text(cohort),
        "axes": framework.axes,
        "choices": fillin.choices_text(framework.scale),
        "answered_on": request.POST.get("answered_on", ""),
        "chosen_phase": request.POST.get("phase", ""),
        "post_not_yet": presenters.not_yet_open(cohort),
        **presenters.dates(cohort),
    }
    return render(request, "cohorts/paper.html", context, status=status)


def _paper_too_large(request: AuthedRequest) -> HttpResponse:
    seat = cohort_for(request, str(request.resolver_match.kwargs["cohort_id"]), CohortAction.ORGANISE)  # type: ignore[union-attr]
    return _paper_page(request, seat, [uploads.too_large_text(fillin.COHORT_LIMIT)], status=413)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@uploads.limited_upload(fillin.COHORT_LIMIT, _paper_too_large)
def paper(request: AuthedRequest, cohort_id: str) -> HttpResponse:
    """Answers from paper sheets, typed into the entry workbook, recorded as the participants' checks."""
    seat = cohort_for(request, cohort_id, CohortAction.ORGANISE)
    if request.method != "POST":
        return _paper_page(request, seat, [])
    cohort = seat.cohort
    phase = request.POST.get("phase", "")
    upload = request.FILES.get("file")
    if phase not in Phase.values or not cohort.is_open(phase):
        return _paper_page(request, seat, [_("受け付け中の段階（事前・事後）を選んでください。")], status=400)
    answered_on = _answered_on(request, cohort)
    if answered_on is None:
        return _paper_page(request, seat, [_window_text(cohort)], status=400)
    if upload is None:
        return _paper_page(request, seat, [_("取り込む xlsx ファイルを選んでください。")], status=400)
    entrants = {entrant.code: entrant for entrant in queries.participant_rows(cohort)}
    names = {code: entrant.name for code, entrant in entrants.items()}
    try:
        sheet = fillin.read_cohort(
            upload.read(fillin.COHORT_LIMIT + 1),
            framework_of(cohort.framework),
            cohort_id=str(cohort.public_id),
            participants=list(names),
        )
    except fillin.FillInError as error:
        return _paper_page(request, seat, describe_all(error), status=400)
    # The reader took only codes of this 研修's participants: each stands for one of them.
    rows = [
        services.PaperRow(row.row, entrants[row.participant].participant_id, row.answers)
        for row in sheet.rows
    ]
    try:
        count = services.enter_paper_results(
            cohort=cohort, phase=phase, rows=rows, entered_by=request.user, answered_on=answered_on
        )
    except services.DateOutside:  # the day changed between the check above and the entry
        return _paper_page(request, seat, [_window_text(cohort)], status=400)
    except services.PhaseClosed:
        return _paper_page(request, seat, [_("この段階は締め切られています。")], status=409)
    except services.NotYetOpen:
        return _paper_page(request, seat, [presenters.not_yet_open(cohort)], status=409)
    except services.PaperRefused as refused:
        return _paper_page(request, seat, _refusal_texts(refused.refusals, sheet.rows, names), status=409)
    messages.success(
        request,
        _("%(count)d 人分の%(phase)sを記録しました。") % {"count": count, "phase": Phase(phase).label},
    )
    return redirect("cohorts:detail", cohort.public_id)


def _answered_on(request: AuthedRequest, cohort: Cohort) -> datetime.date | None:
    """The day the sheets were answered, if it is a date within ``Cohort.paper_dates``."""
    try:
        answered_on = datetime.date.fromisoformat(request.POST.get("answered_on", ""))
    except ValueError:
        return None
    earliest, latest = cohort.paper_dates()
    return answered_on if earliest <= answered_on <= latest else None


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
