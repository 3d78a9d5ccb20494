"""The home page: start a check or go on with one, the latest result, and the ways into the rest."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from bansou.checks import access, queries
from bansou.frameworks.queries import active_version, framework_of


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    version = active_version()
    holder = access.holder_of(request)
    draft = queries.open_draft(holder)
    context = {
        "framework": framework_of(version) if version else None,
        "draft": draft,
        "draft_answers": queries.answered_cells(draft) if draft else 0,
        "latest": queries.latest_check(holder),
        "undecided_visitor_work": _undecided_visitor_work(request),
    }
    return render(request, "checks/home.html", context)


def _undecided_visitor_work(request: HttpRequest) -> bool:
    """Signed in, with what this browser answered before still waiting for a keep-or-delete answer."""
    visitor_key = access.visitor_key(request)
    return bool(request.user.is_authenticated and visitor_key and any(queries.visitor_records(visitor_key)))
