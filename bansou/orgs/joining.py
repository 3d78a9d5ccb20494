"""Joining an organisation by its invitation link or code (a handler of ``web.joining``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bansou.accounts.http import user_of
from bansou.invitations import services as invitations
from bansou.invitations.models import Invitation
from bansou.invitations.refusals import refused
from bansou.orgs import services
from bansou.orgs.models import Membership, Organisation


def join_org(request: HttpRequest, invitation: Invitation, code: str) -> HttpResponse | None:
    """What joining an organisation means, then joining it, by a usable invitation to one
    (``web.joining``); None if the organisation is gone."""
    organisation = Organisation.objects.filter(pk=invitation.target).first()
    if organisation is None:
        return None
    user = user_of(request)
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        messages.info(request, _("すでにこの組織に参加しています。"))
        return redirect("orgs:detail", organisation.public_id)
    if request.method == "POST":
        try:
            services.join(invitation=invitation, user=user)
        except (invitations.UsedUp, invitations.AwaitingApproval) as error:
            return refused(request, error)
        messages.success(request, _("%(org)s に参加しました。") % {"org": organisation.name})
        return redirect("orgs:detail", organisation.public_id)
    return render(
        request,
        "orgs/join.html",
        {
            "organisation": organisation,
            "role": Membership.Role(invitation.role).label,
            "staff": invitation.role != Membership.Role.SUPPORTER,
        },
    )


def describe(invitation: Invitation) -> str | None:
    """「組織「…」」, for the login and sign-up pages (``web.joining``); None if the organisation is gone."""
    organisation = Organisation.objects.filter(pk=invitation.target).only("name").first()
    return _("組織「%(name)s」") % {"name": organisation.name} if organisation is not None else None
