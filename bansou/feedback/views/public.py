"""The rater's pages, without an account: the code is exchanged for a session and never appears in a URL.

A link is ``/f/#CODE``: the part after ``#`` never reaches the server, so no access log holds it. The
page's own script posts the code (a POST body is not logged) and forgets it from the address bar;
without the script, the person types the code printed on their sheet into the same form. The session
then holds the link under a random key, and the answer form is ``/f/answer/<key>/``: two links opened in
two tabs of one browser each answer their own request. Once the answer is sent the session forgets the
link and keeps only the key (a second click finds the thanks page); the answer itself keeps no trace of
the link, the browser or the account that may be signed in.
"""

from __future__ import annotations

import secrets
import time

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bansou.domain.feedback import MIN_RATERS, Mark
from bansou.feedback import forms, limits, presenters, services
from bansou.feedback.services import LinkState
from bansou.frameworks.queries import framework_of
from bansou.invitations.codes import normalise_code
from bansou.invitations.models import Invitation

LINKS = "bansou_feedback_links"  # the links opened in this browser: a random key to [invitation id, when]
DONE = "bansou_feedback_done"  # the keys whose answer this browser sent (a second click: the thanks page)
KEEP = 5  # links, and answered keys, a session holds at most
HOURS = 4  # a link opened and left unanswered is forgotten after this (a shared terminal's next user)

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
    code = normalise_code(str(request.POST.get("code", ""))[:64])
    link = services.find_link(code) if code else services.Link(LinkState.UNKNOWN)
    if link.state is LinkState.UNKNOWN:  # only codes that match nothing count towards guessing: a
        # prankster behind a shared LGWAN address cannot stop everyone else's valid codes
        if code and not limits.spend(limits.GUESSES, limits.address_of(request)):
            return too_many(request)
        return render(request, "feedback/start.html", {"mistyped": bool(code)}, status=404 if code else 200)
    assert link.invitation is not None
    if link.state is not LinkState.OPEN:
        return _refused(request, link.state)
    request.session.cycle_key()  # a fresh session id for the rater: none fixed before
    if not request.user.is_authenticated:
        request.session.set_expiry(0)  # a rater's session ends with the browser
    key = secrets.token_urlsafe(12)
    links = {k: v for k, v in _links(request).items() if v[0] != link.invitation.pk}
    links[key] = [link.invitation.pk, int(time.time())]
    request.session[LINKS] = dict(list(links.items())[-KEEP:])
    return redirect("feedback_public:answer", key)


def _links(request: HttpRequest) -> dict[str, list[int]]:
    """The links this browser opened within the last ``HOURS`` (older ones are forgotten)."""
    kept = request.session.get(LINKS)
    if not isinstance(kept, dict):
        return {}
    oldest = time.time() - HOURS * 3600
    return {
        str(k): [int(v[0]), int(v[1])]
        for k, v in kept.items()
        if isinstance(v, list) and len(v) == 2 and all(isinstance(x, int) for x in v) and v[1] >= oldest
    }


def _session_link(request: HttpRequest, key: str) -> services.Link:
    """The link this browser opened under ``key`` (UNKNOWN: none, or gone since)."""
    held = _links(request).get(key)
    return services.link_of(Invitation.objects.filter(pk=held[0]).first() if held else None)


def _answered(request: HttpRequest, key: str) -> bool:
    done = request.session.get(DONE)
    return isinstance(done, list) and key in done


def _sent(request: HttpRequest, key: str) -> None:
    """The answer by ``key`` was sent: the session forgets which link it was and keeps only the key."""
    request.session[LINKS] = {k: v for k, v in _links(request).items() if k != key}
    done = request.session.get(DONE)
    request.session[DONE] = [*(done if isinstance(done, list) else [])[-(KEEP - 1) :], key]


@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, key: str) -> HttpResponse:
    """What the supporter asks, and the answer: one link, one answer, final when sent. The address holds
    the key of the link this form is for, so that two links open in two tabs of one browser each get
    their own answer."""
    if not limits.spend(limits.ADDRESS, limits.address_of(request)):
        return too_many(request)
    if _answered(request, key):  # the same form sent again: the thanks page, as when it was sent
        return redirect("feedback_public:thanks")
    link = _session_link(request, key)
    if link.invitation is None or link.request is None:
        return redirect("feedback_public:start")
    invitation, asked = link.invitation, link.request
    if request.user.is_authenticated and request.user.pk == asked.owner_id:
        return render(request, "feedback/own_request.html", status=403)
    if link.state is not LinkState.OPEN:
        return _refused(request, link.state)
    items = presenters.asked_items(framework_of(asked.framework), asked)
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
            _sent(request, key)
            return redirect("feedback_public:thanks")
    context = {"asked": asked, "form": form, "minimum": MIN_RATERS, "supporter": asked.owner.display_name}
    return render(request, "feedback/answer.html", context, status=400 if form.errors else 200)


@require_safe
def thanks(request: HttpRequest) -> HttpResponse:
    if not isinstance(request.session.get(DONE), list):
        return redirect("feedback_public:start")
    return render(
        request, "feedback/thanks.html", {"minimum": MIN_RATERS, "title": _("回答を受け付けました")}
    )
