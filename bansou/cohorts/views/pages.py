"""The participant's side of a 研修 and its page: the list, creating one, joining, the 研修's page
(a participant's hand-ins, the organiser's status), handing in, leaving."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bansou.accounts.http import AuthedRequest
from bansou.accounts.models import User
from bansou.checks import services as checks_services
from bansou.checks.access import holder_of
from bansou.checks.models import Check
from bansou.cohorts import forms, presenters, queries, services
from bansou.cohorts.access import Seat, cohort_for
from bansou.cohorts.models import Cohort, Participant, Phase
from bansou.cohorts.views.common import phase_or_404
from bansou.domain.access import CohortAction
from bansou.frameworks.queries import current_version
from bansou.invitations import services as invitations
from bansou.invitations import shown_once
from bansou.invitations.codes import format_code
from bansou.invitations.models import Kind
from bansou.invitations.refusals import refused
from bansou.orgs.access import may_register
from bansou.orgs.models import Membership, Organisation
from bansou.orgs.services import granting_signup, may_grant_signup
from bansou.web.fields import CodeForm


def _staff_orgs(user: User) -> list[Organisation]:
    return [
        m.organisation
        for m in Membership.objects.filter(
            user=user, role__in=[Membership.Role.ADMIN, Membership.Role.STAFF]
        ).select_related("organisation")
    ]


def _signup_orgs(user: User, organisations: list[Organisation]) -> set[str] | None:
    """With invite-only sign-up, the organisations whose 研修 codes the person may let create accounts."""
    if settings.SIGNUP_MODE != "invite":
        return None
    granting = granting_signup(user, [o.pk for o in organisations])
    return {str(o.public_id) for o in organisations if o.pk in granting}


def _offers_signup(user: User, cohort: Cohort) -> bool:
    """With invite-only sign-up, whether the organiser may let a new join code create accounts."""
    return settings.SIGNUP_MODE == "invite" and may_grant_signup(user, cohort.organisation_id)


@login_required
@require_safe
def cohort_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    taking, running = queries.cohorts_of(user.pk)
    return render(
        request,
        "cohorts/list.html",
        {
            "taking": [{"cohort": c, **presenters.dates(c)} for c in taking],
            "running": [{"cohort": c, **presenters.dates(c)} for c in running],
            "can_create": bool(_staff_orgs(user)),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    organisations = _staff_orgs(user)
    if not organisations:
        context = {"may_register": may_register(user), "here": reverse("cohorts:create")}
        return render(request, "cohorts/create_no_org.html", context, status=403)
    form = forms.CohortForm(
        request.POST if request.method == "POST" else None,
        organisations=organisations,
        signup_orgs=_signup_orgs(user, organisations),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("organisation", None)
        organisation = next((o for o in organisations if str(o.public_id) == chosen), organisations[0])
        cohort, issued = services.create_cohort(
            user=user, organisation=organisation, framework=current_version(), **data
        )
        shown_once.keep(request, issued)
        messages.success(request, _("研修を作成しました。参加用のリンクかコードを参加者に伝えてください。"))
        return redirect("cohorts:detail", cohort.public_id)
    return render(request, "cohorts/create.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def join_by_code(request: AuthedRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect("cohorts:join", form.cleaned_data["code"])
    return render(request, "cohorts/join_code.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def join(request: AuthedRequest, code: str) -> HttpResponse:
    """Shows what joining means, then joins."""
    user = request.user
    found = services.invitation_to(code, user.pk)
    if found is None:
        return render(request, "cohorts/join_invalid.html", status=404)
    invitation, cohort = found
    if Participant.objects.filter(cohort=cohort, user=user).exists():
        messages.info(request, _("すでにこの研修に参加しています。"))
        return redirect("cohorts:detail", cohort.public_id)
    if request.method == "POST":
        try:
            services.join(cohort=cohort, user=user, invitation=invitation)
        except (invitations.UsedUp, invitations.AwaitingApproval) as error:
            return refused(request, error)
        messages.success(request, _("研修に参加しました。事前チェックを提出してください。"))
        return redirect("cohorts:detail", cohort.public_id)
    context = {"cohort": cohort, "headcount": queries.headcount(cohort), **presenters.dates(cohort)}
    return render(request, "cohorts/join.html", context)


@login_required
@require_safe
def detail(request: AuthedRequest, cohort_id: str) -> HttpResponse:
    seat = cohort_for(request, cohort_id, CohortAction.SEE)
    cohort = seat.cohort
    context: dict[str, Any] = {"seat": seat, "cohort": cohort, **presenters.dates(cohort)}
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
    handed = {phase: s.check_record for phase, s in hand_ins.items()}
    mine, ready = [], set()
    for phase, label in Phase.choices:
        other = handed.get(Phase.POST if phase == Phase.PRE else Phase.PRE)
        fitting = [c for c in checks if services.fits(phase, c, other)]  # as hand_in will take them
        if fitting and seat.cohort.has_begun(phase):
            ready.add(phase)
        mine.append(
            {
                "phase": phase,
                "label": label,
                "handed": hand_ins.get(phase),
                "closed": seat.cohort.is_closed(phase),
                "not_yet": "" if seat.cohort.has_begun(phase) else presenters.not_yet_open(seat.cohort),
                "deadline": seat.cohort.deadline(phase),
                "form": forms.HandInForm(
                    checks=fitting,
                    phase_label=str(label),
                    prefix=phase,
                    initial={"check_id": str(handed[phase].public_id) if phase in handed else None},
                )
                if fitting and seat.cohort.has_begun(phase)
                else None,
            }
        )
    return {
        "mine": mine,
        "next_step": presenters.next_step(seat.cohort, handed, ready),
        "headcount": queries.headcount(seat.cohort),
    }


def _organiser_context(request: AuthedRequest, cohort: Cohort) -> dict[str, Any]:
    status = queries.status_of(cohort)
    codes = invitations.active(Kind.COHORT, cohort.pk)
    fresh = shown_once.take(request, {i.pk for i in codes})
    link = (
        request.build_absolute_uri(reverse("cohorts:join", args=[format_code(fresh.code)])) if fresh else ""
    )
    return {
        "status": status,
        "pre_count": sum(s.pre_at is not None for s in status),
        "post_count": sum(s.post_at is not None for s in status),
        "missing_pre_text": "\n".join(str(s.user) for s in status if s.pre_at is None),
        "missing_post_text": "\n".join(str(s.user) for s in status if s.post_at is None),
        "join_link": link,
        "join_code": format_code(fresh.code) if fresh else "",
        "join_hint": codes[0].hint if codes else "",
        "join_grants_signup": bool(codes and codes[0].grants_signup),
        "new_code_form": forms.NewCodeForm() if _offers_signup(request.user, cohort) else None,
    }


@login_required
@require_POST
def start_check(request: AuthedRequest, cohort_id: str) -> HttpResponse:
    """「チェックをする」 from the 研修's page: goes on with the draft of the 研修's version (or starts
    one) and remembers that it was started from this 研修, so that its result offers to hand it in."""
    seat = cohort_for(request, cohort_id, CohortAction.SUBMIT)
    assert seat.participant_id is not None  # allowed to hand in: a participant
    draft = checks_services.get_or_start_draft(holder=holder_of(request), version=seat.cohort.framework)
    services.note_started(participant_id=seat.participant_id, draft_public_id=draft.public_id)
    return redirect("checks:sheet", draft.public_id)


@login_required
@require_POST
def hand_in(request: AuthedRequest, cohort_id: str, phase: str) -> HttpResponse:
    seat = cohort_for(request, cohort_id, CohortAction.SUBMIT)
    phase = phase_or_404(phase)
    assert seat.participant_id is not None  # allowed to hand in: a participant
    participant = Participant.objects.get(pk=seat.participant_id)
    check_id = request.POST.get(f"{phase}-check_id", "")
    try:
        services.hand_in(participant=participant, phase=phase, check_public_id=check_id)
    except services.PhaseClosed:
        messages.error(request, _("締切を過ぎたため提出できません。"))
    except services.NotYetOpen:
        messages.error(request, presenters.not_yet_open(seat.cohort))
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
@require_http_methods(["GET", "HEAD", "POST"])
def leave(request: AuthedRequest, cohort_id: str) -> HttpResponse:
    seat = cohort_for(request, cohort_id, CohortAction.SUBMIT)
    if request.method == "POST":
        assert seat.participant_id is not None
        services.leave(participant=Participant.objects.get(pk=seat.participant_id))
        messages.success(request, _("研修への参加をやめました。提出は取り消され、集計に含まれなくなります。"))
        return redirect("cohorts:list")
    return render(request, "cohorts/leave.html", {"cohort": seat.cohort})
