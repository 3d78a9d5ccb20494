"""A 研修's code typed where invitations go leads to the 研修's own join page (``web.joining``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from bansou.cohorts.models import Cohort


def to_cohort(request: HttpRequest, code: str) -> HttpResponse | None:
    if not Cohort.objects.filter(join_code=code).exists():
        return None
    return redirect("cohorts:join", code)
