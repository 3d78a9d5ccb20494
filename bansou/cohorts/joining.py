"""A 研修's code typed where invitations go leads to the 研修's own join page (``web.joining``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from bansou.cohorts.services import invitation_to


def to_cohort(request: HttpRequest, code: str) -> HttpResponse | None:
    if invitation_to(code) is None:
        return None
    return redirect("cohorts:join", code)
