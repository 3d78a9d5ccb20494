"""The supporter's files of a request: the A4 request that doubles as an answer sheet (one page per
fresh code, or one without a code), and the comparison kept at close as xlsx and CSV."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bansou.accounts.http import AuthedRequest
from bansou.domain.access import FeedbackAction
from bansou.domain.feedback import MARK_WORDS, MAX_LINKS, MIN_RATERS
from bansou.feedback import exports, presenters
from bansou.feedback.access import request_for
from bansou.feedback.models import GROUP_CHOICES, FeedbackRequest
from bansou.frameworks.queries import framework_of
from bansou.invitations import services as invitations
from bansou.invitations.codes import format_code, normalise_code
from bansou.invitations.models import Kind
from bansou.reports import pdf, responses

SHEET_NAME = "bansou-feedback-sheet"
MOST_CODES = 3 * MAX_LINKS  # codes one sheet request may carry: more than a page ever shows at once


def _sheets(asked: FeedbackRequest, codes: list[str]) -> list[dict[str, str]] | None:
    """A page per code, each an answer link of this request that can still be used; else None (a code
    of another request, used, revoked or mistyped is never printed)."""
    groups = dict(GROUP_CHOICES)
    pages = []
    for code in codes:
        found = invitations.find(code, Kind.FEEDBACK)
        if found is None or found.target_id != asked.pk or not found.usable():
            return None
        pages.append({"code": format_code(normalise_code(code)), "group": groups.get(found.role, "")})
    return pages


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def sheet(request: AuthedRequest, request_id: str) -> HttpResponse:
    """POST: the fresh codes the page showed, a sheet each; GET: one sheet without a code, for an
    answer given on paper only. Nothing here keeps a code: the PDF is made and handed out."""
    asked = request_for(request, request_id, FeedbackAction.SEE)
    if asked.closed:
        raise Http404
    if request.method == "POST":
        codes = list(dict.fromkeys(c for c in request.POST.getlist("code") if c.strip()))
        found = _sheets(asked, codes) if 0 < len(codes) <= MOST_CODES else None
        if found is None:
            messages.error(
                request,
                _(
                    "印刷できないコードがありました（使われたか、取り消されたか、この依頼のものではありません）。"
                ),
            )
            return redirect("feedback:detail", asked.public_id)
        pages = found
    else:
        pages = [{"code": "", "group": ""}]
    context = {
        "asked": asked,
        "supporter": asked.owner.display_name,
        "items": presenters.asked_items(framework_of(asked.framework), asked),
        "marks": list(MARK_WORDS.values()),
        "pages": pages,
        "minimum": MIN_RATERS,
        "start_url": request.build_absolute_uri(reverse("feedback_public:start")),
    }
    return pdf.respond(request, "feedback/sheet.html", context, pdf_name=SHEET_NAME)


def _shown(request: AuthedRequest, request_id: str) -> FeedbackRequest:
    """The owner's request, closed with its comparison shown; else 404 (nothing to download)."""
    asked = request_for(request, request_id, FeedbackAction.SEE)
    if not asked.shown:
        raise Http404
    return asked


@login_required
@require_safe
def comparison_xlsx(request: AuthedRequest, request_id: str) -> HttpResponse:
    asked = _shown(request, request_id)
    return responses.xlsx(exports.workbook(framework_of(asked.framework), asked), exports.FILE_NAME)


@login_required
@require_safe
def comparison_csv(request: AuthedRequest, request_id: str) -> HttpResponse:
    asked = _shown(request, request_id)
    table = exports.comparison_table(framework_of(asked.framework), asked)
    back = reverse("feedback:detail", args=[asked.public_id])
    return responses.csv(request, table, exports.FILE_NAME, back=back)


@login_required
@require_safe
def comments_csv(request: AuthedRequest, request_id: str) -> HttpResponse:
    asked = _shown(request, request_id)
    table = exports.comments_table(framework_of(asked.framework), asked)
    back = reverse("feedback:detail", args=[asked.public_id])
    return responses.csv(request, table, f"{exports.FILE_NAME}-comments", back=back)
