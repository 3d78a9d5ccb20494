"""What a closed request's page offers next: 次の一歩 from its largest differences (a plan made by
plans' service, or the plan the check has already), and sharing them with one of the supporter's teams."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bansou.accounts.http import AuthedRequest
from bansou.domain.access import FeedbackAction
from bansou.feedback import next_step
from bansou.feedback.access import request_for
from bansou.web.http import parse_id


@login_required
@require_POST
def start_plan(request: AuthedRequest, request_id: str) -> HttpResponse:
    asked = request_for(request, request_id, FeedbackAction.MANAGE)
    check = next_step.own_check(asked) if asked.closed else None
    if check is None:
        raise Http404
    plan, made = next_step.start(asked, check)
    if plan is None:
        raise Http404
    if made:
        messages.success(
            request, _("違いが大きかった項目で計画を作りました。それぞれの「次の一歩」を書きましょう。")
        )
    return redirect("plans:detail", plan.public_id)


@login_required
@require_POST
def share_with_team(request: AuthedRequest, request_id: str) -> HttpResponse:
    asked = request_for(request, request_id, FeedbackAction.MANAGE)
    chosen = request.POST.get("team", "")
    if not chosen:
        next_step.share_with_team(asked, None)
        messages.success(request, _("チームへの共有をやめました。"))
    else:
        team = next_step.seat(asked, parse_id(chosen))
        if team is None or not asked.closed or not next_step.differences(asked):
            raise Http404
        next_step.share_with_team(asked, team)
        messages.success(request, _("%(team)s の対話シートに共有しました。") % {"team": team.label})
    return redirect(reverse("feedback:detail", args=[asked.public_id]) + "#team-share")
