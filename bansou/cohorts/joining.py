"""A 研修's code typed where invitations go leads to the 研修's own join page (``web.joining``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from bansou.invitations.models import Invitation


def to_cohort(request: HttpRequest, invitation: Invitation, code: str) -> HttpResponse:
    return redirect("cohorts:join", code)  # that page says when the 研修 itself is gone
