"""Joining an organisation by its invitation link or code (a handler of ``web.joining``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bansou.accounts.http import user_of
from bansou.orgs import services
from bansou.orgs.models import Membership, OrgInvitation


def join_org(request: HttpRequest, code: str) -> HttpResponse | None:
    """What joining an organisation means, then joining it, when ``code`` is a usable invitation to
    one (``web.joining``)."""
    invitation = OrgInvitation.objects.select_related("organisation").filter(code=code).first()
    if invitation is None or not invitation.usable():
        return None
    user = user_of(request)
    organisation = invitation.organisation
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        messages.info(request, _("すでにこの組織に参加しています。"))
        return redirect("orgs:detail", organisation.public_id)
    if request.method == "POST":
        services.join(invitation=invitation, user=user)
        messages.success(request, _("%(org)s に参加しました。") % {"org": organisation.name})
        return redirect("orgs:detail", organisation.public_id)
    return render(
        request,
        "orgs/join.html",
        {
            "organisation": organisation,
            "role": invitation.get_role_display(),
            "staff": invitation.role != Membership.Role.SUPPORTER,
            "code": invitation.code,
        },
    )
