"""Pages of 次の一歩: choose focus items from a result, write steps and a 振り返り, list one's plans."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bansou.accounts.http import AuthedRequest
from bansou.checks.models import Check
from bansou.checks.queries import answers_of
from bansou.domain.framework import Framework
from bansou.domain.scoring import Quadrant, score
from bansou.frameworks.queries import framework_of
from bansou.plans import forms, queries, services
from bansou.plans.models import Plan, Status, Step
from bansou.plans.services import StepInput
from bansou.sharing import audiences
from bansou.sharing import queries as sharing_queries
from bansou.sharing import services as sharing_services
from bansou.web.http import parse_id


def _own_check(request: AuthedRequest, check_id: str) -> Check:
    check = (
        Check.objects.select_related("framework")
        .filter(public_id=parse_id(check_id), owner_id=request.user.pk)
        .first()
    )
    if check is None:
        raise Http404
    return check


def _own_plan(request: AuthedRequest, plan_id: str) -> Plan:
    plan = (
        Plan.objects.select_related("check_record__framework")
        .filter(public_id=parse_id(plan_id), owner_id=request.user.pk)
        .first()
    )
    if plan is None:
        raise Http404
    return plan


def _items_form(
    request: AuthedRequest, check: Check, initial: dict[str, Any] | None = None
) -> forms.ItemsForm:
    """Every item of the check's framework, the suggested first: 理解○ 実践×, the items the person
    understands but does not yet practise (ticked when nothing else is given)."""
    framework = framework_of(check.framework)
    result = score(framework, answers_of(check))
    suggested = [placed.item.code for placed in result.in_quadrant(Quadrant.PUT_INTO_PRACTICE)]
    return forms.ItemsForm(
        request.POST if request.method == "POST" else None,
        items=sorted(framework.items(), key=lambda item: item.code not in suggested),
        suggested=set(suggested),
        initial=initial or {"items": suggested[: services.MAX_STEPS]},
    )


def _items_page(
    request: AuthedRequest, check: Check, plan: Plan | None, form: forms.ItemsForm, status: int = 200
) -> HttpResponse:
    framework = framework_of(check.framework)
    return render(
        request,
        "plans/items.html",
        {"check": check, "plan": plan, "form": form, "caution": framework.texts.caution},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def start(request: AuthedRequest, check_id: str) -> HttpResponse:
    check = _own_check(request, check_id)
    existing = Plan.objects.filter(check_record=check).first()
    if existing is not None:
        return redirect("plans:detail", existing.public_id)
    form = _items_form(request, check)
    if request.method == "POST" and form.is_valid():
        assert request.user.is_authenticated
        plan = services.start_plan(owner=request.user, check=check, item_codes=form.cleaned_data["items"])
        messages.success(request, _("項目を選びました。それぞれの「次の一歩」を書きましょう。"))
        return redirect("plans:detail", plan.public_id)
    return _items_page(request, check, None, form, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def choose(request: AuthedRequest, plan_id: str) -> HttpResponse:
    plan = _own_plan(request, plan_id)
    check = plan.check_record
    form = _items_form(
        request, check, {"items": [s.item_code for s in plan.steps.all()], "revision": plan.revision}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.choose_items(
                plan=plan, revision=form.cleaned_data["revision"] or 0, item_codes=form.cleaned_data["items"]
            )
        except services.Conflict:
            messages.error(
                request, _("この計画は別の画面で先に保存されていました。最新の内容を表示しています。")
            )
            return redirect("plans:detail", plan.public_id)
        return redirect("plans:detail", plan.public_id)
    return _items_page(request, check, plan, form, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def detail(request: AuthedRequest, plan_id: str) -> HttpResponse:
    plan = _own_plan(request, plan_id)
    framework = framework_of(plan.check_record.framework)
    names = {item.code: item.name for item in framework.items()}
    steps = list(plan.steps.all())
    initial = {"revision": plan.revision, "reflection": plan.reflection}
    if request.method == "POST" and request.POST.get("revision") != str(plan.revision):
        return _conflict(request, plan, steps, names, framework)
    form = forms.PlanForm(
        request.POST if request.method == "POST" else None, steps=steps, names=names, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        try:
            services.save_plan(
                plan=plan,
                revision=cleaned["revision"],
                reflection=cleaned["reflection"],
                steps={
                    s.item_code: StepInput(
                        action=cleaned[f"step-{s.item_code}-action"],
                        due_on=cleaned[f"step-{s.item_code}-due_on"],
                        status=cleaned[f"step-{s.item_code}-status"],
                    )
                    for s in steps
                },
            )
        except services.Conflict:  # saved elsewhere between the read above and this write
            return _conflict(request, Plan.objects.get(pk=plan.pk), steps, names, framework)
        messages.success(request, _("保存しました。"))
        return redirect("plans:detail", plan.public_id)
    return _plan_page(request, plan, form, framework, status=400 if form.errors else 200)


def _conflict(
    request: AuthedRequest, plan: Plan, steps: list[Any], names: dict[str, str], framework: Framework
) -> HttpResponse:
    """The plan was saved elsewhere since this page was read: nothing is overwritten. The page shows
    what was saved there beside what this person typed (kept in the fields), to merge and save again."""
    latest_steps = list(Step.objects.filter(plan=plan))
    typed: dict[str, Any] = {"revision": plan.revision, "reflection": request.POST.get("reflection", "")}
    for step in latest_steps:
        for field in ("action", "due_on", "status"):
            key = f"step-{step.item_code}-{field}"
            typed[key] = request.POST.get(key, getattr(step, field))
    form = forms.PlanForm(None, steps=latest_steps, names=names, initial=typed)
    messages.error(
        request,
        _(
            "この計画は別の画面で先に保存されていたため、保存していません。あなたが書いた内容は入力欄に残しています。"
            "別の画面で保存された内容と見比べてから、もう一度保存してください。"
        ),
    )
    saved = [(names.get(s.item_code, s.item_code), s) for s in latest_steps]
    return _plan_page(request, plan, form, framework, status=409, latest=plan, saved=saved)


def _plan_page(
    request: AuthedRequest,
    plan: Plan,
    form: forms.PlanForm,
    framework: Framework,
    *,
    status: int = 200,
    latest: Plan | None = None,
    saved: list[tuple[str, Any]] | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "plan": plan,
        "form": form,
        "share_form": _share_form(request, plan),
        "groups": form.step_groups(),
        "caution": framework.texts.caution,
        "latest": latest,
        "saved": saved or [],
    }
    return render(request, "plans/detail.html", context, status=status)


def _my_teams(request: AuthedRequest) -> list[tuple[int, str]]:
    """The teams the person is in (told by teams through ``sharing.audiences``)."""
    return [(team.team_id, team.label) for team in audiences.teams_of(request.user.pk)]


def _share_form(request: AuthedRequest, plan: Plan, data: Any = None) -> forms.ShareForm | None:
    teams = _my_teams(request)
    if not teams:
        return None
    shared = sharing_queries.plan_team_ids(plan.pk)
    return forms.ShareForm(data, teams=teams, initial={"teams": shared})


@login_required
@require_POST
def share(request: AuthedRequest, plan_id: str) -> HttpResponse:
    plan = _own_plan(request, plan_id)
    form = _share_form(request, plan, request.POST)
    if form is not None and form.is_valid():
        sharing_services.share_plan(
            plan_id=plan.pk, owner_id=plan.owner_id, team_ids=form.cleaned_data["teams"]
        )
        messages.success(
            request,
            _("共有するチームを保存しました。")
            if form.cleaned_data["teams"]
            else _("この計画はどのチームにも共有していません。"),
        )
    else:
        messages.error(
            request, _("共有するチームを保存できませんでした。参加しているチームから選んでください。")
        )
    return redirect("plans:detail", plan.public_id)


@login_required
@require_safe
def plan_list(request: AuthedRequest) -> HttpResponse:
    """Each plan with its steps: item, 次の一歩, due date and status, and how many are done."""
    rows = []
    for plan in queries.plans_of(request.user.pk):
        names = {
            item.code: f"{item.mark}{item.name}" for item in framework_of(plan.check_record.framework).items()
        }
        steps = list(plan.steps.all())
        open_dues = sorted(s.due_on for s in steps if s.due_on and s.status != Status.DONE)
        rows.append(
            {
                "plan": plan,
                "steps": [{"step": s, "name": names.get(s.item_code, s.item_code)} for s in steps],
                "done": sum(s.status == Status.DONE for s in steps),
                "total": len(steps),
                "next_due": open_dues[0] if open_dues else None,
            }
        )
    return render(request, "plans/list.html", {"plans": rows})
