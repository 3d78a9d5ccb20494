"""The supporter's pages: their requests, a new request and its links (shown once), the request's page
(its state before close; the comparison kept at close after), paper answers, closing, hiding a comment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bansou.accounts.http import AuthedRequest
from bansou.domain.access import FeedbackAction
from bansou.domain.feedback import MAX_LINKS, MIN_RATERS, Mark, RaterGroup
from bansou.feedback import forms, next_step, presenters, services
from bansou.feedback.access import request_for
from bansou.feedback.models import GROUP_CHOICES, Answer, FeedbackRequest
from bansou.frameworks.queries import current_version, framework_of
from bansou.invitations import services as invitations
from bansou.invitations import shown_once
from bansou.invitations.codes import format_code
from bansou.invitations.models import Kind
from bansou.web.http import parse_id


@login_required
@require_safe
def mine(request: AuthedRequest) -> HttpResponse:
    found = FeedbackRequest.objects.filter(owner=request.user).order_by("-created_at")
    return render(request, "feedback/list.html", {"requests": [services.settle(r) for r in found]})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new(request: AuthedRequest) -> HttpResponse:
    version = current_version()
    framework = framework_of(version)
    sections = presenters.request_sections(framework)
    items = [i for s in sections for i in s["items"]]
    form = forms.RequestForm(
        request.POST if request.method == "POST" else None,
        items=items,
        initial={"items": presenters.proposed_items(framework)},
    )
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["items"])
        made, issued = services.make_request(
            owner=request.user,
            version=version,
            framework=framework,
            items=[i.code for i in framework.items() if i.code in chosen],
            message=form.cleaned_data["message"],
            closes_on=form.cleaned_data["closes_on"],
            links=form.links(),
        )
        shown_once.keep(request, issued)
        return redirect("feedback:detail", made.public_id)
    return render(request, "feedback/new.html", {"form": form, "sections": sections})


def _fresh_links(request: AuthedRequest, asked: FeedbackRequest) -> list[dict[str, str]]:
    active = {i.pk: i for i in invitations.active(Kind.FEEDBACK, asked.pk)}
    fresh = shown_once.take_all(request, set(active))
    base = request.build_absolute_uri(reverse("feedback_public:start"))
    return [
        {
            "group": dict(GROUP_CHOICES)[active[pk].role],
            "code": format_code(f.code),
            "link": f"{base}#{f.code}",
        }
        for pk, f in sorted(fresh.items())
    ]


@login_required
@require_safe
def detail(request: AuthedRequest, request_id: str) -> HttpResponse:
    asked = request_for(request, request_id, FeedbackAction.SEE)
    framework = framework_of(asked.framework)
    answers = list(Answer.objects.filter(request=asked).values_list("typed_in", flat=True))
    context = {
        "asked": asked,
        "items": presenters.asked_items(framework, asked),
        "online": answers.count(False),
        "paper": answers.count(True),
        "links_open": len(invitations.active(Kind.FEEDBACK, asked.pk)) if not asked.closed else 0,
        "fresh": _fresh_links(request, asked),
        "minimum": MIN_RATERS,
        "start_url": request.build_absolute_uri(reverse("feedback_public:start")),
        **presenters.comparison_context(framework, asked),
        **next_step.page_context(asked),
    }
    return render(request, "feedback/detail.html", context)


@login_required
@require_POST
def more_links(request: AuthedRequest, request_id: str) -> HttpResponse:
    asked = request_for(request, request_id, FeedbackAction.MANAGE)
    if asked.closed:
        raise Http404
    try:
        count = max(0, min(int(request.POST.get("count", "0")), MAX_LINKS))
        group = RaterGroup(request.POST.get("group", ""))
    except ValueError:
        count, group = 0, RaterGroup.OTHER
    made = services.links_made(asked)
    if count and made + count > MAX_LINKS:
        messages.error(
            request,
            _("リンクは1つの依頼につき%(max)d個までです（作成済み %(made)d個）。")
            % {"max": MAX_LINKS, "made": made},
        )
    elif count:
        shown_once.keep(request, services.add_links(asked, {group: count}))
    return redirect("feedback:detail", asked.public_id)


@login_required
@require_POST
def close(request: AuthedRequest, request_id: str) -> HttpResponse:
    asked = request_for(request, request_id, FeedbackAction.MANAGE)
    if services.close(asked, early=True):
        messages.success(request, _("締め切りました。これ以降、回答は受け付けません。"))
    return redirect("feedback:detail", asked.public_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def paper(request: AuthedRequest, request_id: str) -> HttpResponse:
    asked = request_for(request, request_id, FeedbackAction.MANAGE)
    if asked.closed:
        return redirect("feedback:detail", asked.public_id)
    items = presenters.asked_items(framework_of(asked.framework), asked)
    form = forms.PaperForm(request.POST if request.method == "POST" else None, items=items)
    if request.method == "POST" and form.is_valid():
        marks = {code: Mark(value) for code, value in form.marks().items()}
        try:
            services.type_in(asked, RaterGroup(form.cleaned_data["group"]), marks, form.comments())
        except services.NotOpen:
            return redirect("feedback:detail", asked.public_id)
        messages.success(request, _("紙の回答を入力しました（入力した回答として記録しています）。"))
        return redirect("feedback:detail", asked.public_id)
    return render(request, "feedback/paper.html", {"asked": asked, "form": form, "minimum": MIN_RATERS})


@login_required
@require_POST
def hide_comment(request: AuthedRequest, request_id: str, comment_id: str) -> HttpResponse:
    """Only comments the page shows (closed, the comparison shown) can be hidden: before that, the button
    would tell which comments exist."""
    asked = request_for(request, request_id, FeedbackAction.MANAGE)
    if not asked.shown:
        raise Http404
    back = redirect(reverse("feedback:detail", args=[asked.public_id]) + "#comments")
    hidden = {"1": True, "0": False}.get(request.POST.get("hidden", ""))
    if hidden is None:  # the page's button always says which: anything else changes nothing
        return back
    if not services.hide_comment(asked, parse_id(comment_id), hidden=hidden):
        raise Http404
    return back
