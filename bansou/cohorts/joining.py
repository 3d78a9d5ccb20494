"""A 研修's code typed where invitations go leads to the 研修's own join page (``web.joining``), and
what a 研修's invitation is to, for the login and sign-up pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from bansou.cohorts.models import Cohort
from bansou.invitations.models import Invitation


def to_cohort(request: HttpRequest, invitation: Invitation, code: str) -> HttpResponse:
    return redirect("cohorts:join", code)  # that page says when the 研修 itself is gone


def describe(invitation: Invitation) -> str | None:
    """「研修「…」」, or None if the 研修 is gone."""
    cohort = Cohort.objects.filter(pk=invitation.target).only("name").first()
    return _("研修「%(name)s」") % {"name": cohort.name} if cohort is not None else None
