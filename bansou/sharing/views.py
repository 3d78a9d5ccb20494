"""Pages of consent: joining or leaving an organisation's pool with a shared check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bansou.accounts.http import AuthedRequest
from bansou.domain.access import OrgAction
from bansou.orgs.access import org_for
from bansou.sharing import queries, services
from bansou.sharing.choices import Audience, ShareChoice
from bansou.sharing.forms import ShareForm, own_checks


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def pool_mine(request: AuthedRequest, org_id: str) -> HttpResponse:
    """Opt into the organisation's pool by sharing a check with it, or leave the pool."""
    org, membership = org_for(request, org_id, OrgAction.JOIN_POOL)
    current = queries.share_of(request.user.pk, Audience.organisation(org.pk))
    form = ShareForm(
        request.POST or None,
        current=ShareChoice.of(current),
        checks=own_checks(request.user.pk),
        label=_("人材プールに登録し、組織に共有するチェック"),
    )
    if request.method == "POST" and form.is_valid():
        choice: ShareChoice = form.cleaned_data["choice"]
        services.set_pool(membership=membership, choice=choice)
        messages.success(
            request,
            _("人材プールへの登録をやめました。") if choice.private else _("人材プールに登録しました。"),
        )
        return redirect("orgs:detail", org.public_id)
    return render(request, "sharing/pool_mine.html", {"org": org, "form": form, "current": current})
