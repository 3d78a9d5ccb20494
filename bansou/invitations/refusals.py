"""What a person is told when joining by an invitation does not happen (in Japanese)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from bansou.invitations.services import AwaitingApproval, UsedUp


def refused(request: HttpRequest, error: UsedUp | AwaitingApproval) -> HttpResponse:
    """The home page, with why: the invitation stopped working meanwhile, or the issuer must approve."""
    if isinstance(error, AwaitingApproval):
        messages.info(request, _("参加を申し込みました。招待した人が承認すると参加できます。"))
    else:
        messages.error(
            request,
            _(
                "この招待は使えなくなりました（取り消されたか、期限が切れたか、使える人数に達しました）。招待した人に確認してください。"
            ),
        )
    return redirect("home")
