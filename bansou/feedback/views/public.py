"""The rater's pages, without an account: the code is exchanged for a session and never appears in a URL.

A link is ``/f/#CODE``: the part after ``#`` never reaches the server, so no access log holds it. The
page's own script posts the code (a POST body is not logged) and forgets it from the address bar;
without the script, the person types the code printed on their sheet into the same form. The session
then holds the link's id; the answer form is ``/f/answer/``, the same for everyone.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bansou.domain.feedback import MIN_RATERS, Mark
from bansou.feedback import forms, limits, services
from bansou.feedback.models import FeedbackRequest
from bansou.feedback.services import LinkState
from bansou.frameworks.queries import framework_of
from bansou.invitations.codes import normalise_code
from bansou.invitations.models import Invitation, Kind

LINK = "bansou_feedback_link"  # the session's link: an invitation id
DONE = "bansou_feedback_done"  # the link this browser answered by (a second click finds the thanks page)

STATUS = {LinkState.USED: 410, LinkState.CLOSED: 410, LinkState.UNKNOWN: 404}


def too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/too_many.html", status=429)


def _refused(request: HttpRequest, state: LinkState) -> HttpResponse:
    return render(request, "feedback/link_state.html", {"state": state.value}, status=STATUS[state])


@require_http_methods(["GET", "HEAD", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """The code, typed or sent by the page's script from the link's ``#`` part."""
    if not limits.spend(limits.ADDRESS, limits.address_of(request)):
        return too_many(request)
    if request.method != "POST":
        return render(request, "feedback/start.html")
    address = limits.address_of(request)
    if limits.spent(limits.GUESSES, address):
        return too_many(request)
    code = normalise_code(str(request.POST.get("code", ""))[:64])
    link = services.find_link(code) if code else services.Link(LinkState.UNKNOWN)
    if link.state is LinkState.UNKNOWN:
        limits.spend(limits.GUESSES, address)
        return render(request, "feedback/start.html", {"mistyped": bool(code)}, status=404 if code else 200)
    assert link.invitation is not None
    if link.state is LinkState.USED and request.session.get(DONE) == link.invitation.pk:
        return redirect("feedback_public:thanks")
    if link.state is not LinkState.OPEN:
        return _refused(request, link.state)
    request.session.cycle_key()  # a fresh session id for the rater: none fixed before
    request.session[LINK] = link.invitation.pk
    return redirect("feedback_public:answer")


def _session_link(request: HttpRequest) -> tuple[Invitation, FeedbackRequest] | None:
    invitation_id = request.session.get(LINK)
    if not isinstance(invitation_id, int):
        return None
    invitation = Invitation.objects.filter(
        pk=invitation_id, kind=Kind.FEEDBACK, target_id__isnull=False
    ).first()
    if invitation is None:
        return None
    asked = FeedbackRequest.objects.filter(pk=invitation.target).select_related("owner", "framework").first()
    return (invitation, services.settle(asked)) if asked is not None else None


@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest) -> HttpResponse:
    """What the supporter asks, and the answer: one link, one answer, final when sent."""
    if not limits.spend(limits.ADDRESS, limits.address_of(request)):
        return too_many(request)
    found = _session_link(request)
    if found is None:  # none opened; or sent already (the same form again: the thanks page, as sent)
        return redirect(
            "feedback_public:thanks"
            if isinstance(request.session.get(DONE), int)
            else "feedback_public:start"
        )
    invitation, asked = found
    if request.user.is_authenticated and request.user.pk == asked.owner_id:
        return render(request, "feedback/own_request.html", status=403)
    state = services.state_of(invitation, asked)
    if state is LinkState.USED and request.session.get(DONE) == invitation.pk:
        return redirect("feedback_public:thanks")
    if state is not LinkState.OPEN:
        return _refused(request, state)
    framework = framework_of(asked.framework)
    by_code = {i.code: i for i in framework.items()}
    items = [by_code[c] for c in asked.items if c in by_code]
    form = forms.AnswerForm(request.POST if request.method == "POST" else None, items=items)
    if request.method == "POST":
        if not limits.spend(limits.LINK, str(invitation.pk)):
            return too_many(request)
        if form.is_valid():
            marks = {code: Mark(value) for code, value in form.marks().items()}
            try:
                services.answer(invitation, marks, form.comments())
            except services.NotOpen as refused:
                return _refused(request, refused.state)
            request.session[DONE] = invitation.pk
            request.session.pop(LINK, None)
            return redirect("feedback_public:thanks")
    context = {"asked": asked, "form": form, "minimum": MIN_RATERS, "supporter": asked.owner.display_name}
    return render(request, "feedback/answer.html", context, status=400 if form.errors else 200)


@require_safe
def thanks(request: HttpRequest) -> HttpResponse:
    if not isinstance(request.session.get(DONE), int):
        return redirect("feedback_public:start")
    return render(
        request, "feedback/thanks.html", {"minimum": MIN_RATERS, "title": _("回答を受け付けました")}
    )
