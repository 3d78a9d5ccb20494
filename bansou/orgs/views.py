"""Pages of organisations: list, create, the organisation's page, invitations, roles."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bansou.accounts.http import AuthedRequest
from bansou.domain.access import OrgAction
from bansou.invitations import presenters, shown_once
from bansou.invitations import services as invitations
from bansou.invitations.models import Kind
from bansou.orgs import forms, pages, services
from bansou.orgs.access import may_register, org_for
from bansou.orgs.models import Membership, Organisation


@login_required
@require_safe
def org_list(request: AuthedRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return render(
        request, "orgs/list.html", {"memberships": memberships, "can_register": may_register(request.user)}
    )


def _back_to(request: AuthedRequest) -> str | None:
    """``?next=``, a path on this site (the 研修 page that sent the person to register), or None."""
    target = request.GET.get("next") or ""
    local = target.startswith("/") and not target.startswith("//")
    return target if local and url_has_allowed_host_and_scheme(target, {request.get_host()}) else None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def create(request: AuthedRequest) -> HttpResponse:
    """``?next=<path>``: where to go once the organisation is registered."""
    if not may_register(request.user):
        return render(request, "orgs/create_refused.html", status=403)
    form = forms.OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = services.create_organisation(
            user=request.user,
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            prefecture_id=form.cleaned_data["prefecture"].pk if form.cleaned_data["prefecture"] else None,
        )
        messages.success(request, _("組織を作成しました。あなたはこの組織の管理者です。"))
        return redirect(_back_to(request) or reverse("orgs:detail", args=[org.public_id]))
    return render(request, "orgs/create.html", {"form": form})


@login_required
@require_safe
def detail(request: AuthedRequest, org_id: str) -> HttpResponse:
    org, membership = org_for(request, org_id, OrgAction.SEE)
    context: dict[str, Any] = {"org": org, "membership": membership}
    context.update(pages.detail.collect(pages.OrgPage(org, membership)))  # pool (sharing), teams (teams)
    if membership.is_staff:
        context["members"] = (
            Membership.objects.filter(organisation=org)
            .select_related("user")
            .order_by("role", "user__furigana", "user__display_name")
        )
    if membership.role == Membership.Role.ADMIN:
        context["invite_form"] = forms.InviteForm()
        roles = dict(Membership.Role.choices)
        active = invitations.active(Kind.ORGANISATION, org.pk)
        context["invitations"] = presenters.rows(
            request,
            active,
            fresh=shown_once.take(request, {i.pk for i in active}),
            link=lambda code: reverse("teams:join", args=[code]),
            revoke=lambda i: reverse("orgs:revoke", args=[org.public_id, i.pk]),
            role=lambda role: str(roles.get(role, role)),
        )
        context["role_choices"] = Membership.Role.choices
    return render(request, "orgs/detail.html", context)


@login_required
@require_POST
def invite(request: AuthedRequest, org_id: str) -> HttpResponse:
    org, _membership = org_for(request, org_id, OrgAction.MANAGE)
    form = forms.InviteForm(request.POST)
    if form.is_valid():
        issued = services.invite(
            organisation=org,
            by=request.user,
            role=form.cleaned_data["role"],
            grants_signup=form.cleaned_data.get("grants_signup", False),
        )
        shown_once.keep(request, issued)
        messages.success(request, _("招待リンクとコードを作りました。"))
    return redirect("orgs:detail", org.public_id)


@login_required
@require_POST
def revoke(request: AuthedRequest, org_id: str, invitation_id: int) -> HttpResponse:
    org, _membership = org_for(request, org_id, OrgAction.MANAGE)
    invitations.revoke(kind=Kind.ORGANISATION, target_id=org.pk, invitation_id=invitation_id)
    messages.success(request, _("招待を取り消しました。"))
    return redirect("orgs:detail", org.public_id)


def _membership_of(org: Organisation, membership_id: int) -> Membership:
    found = (
        Membership.objects.select_related("user", "organisation")
        .filter(organisation=org, pk=membership_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


@login_required
@require_POST
def set_role(request: AuthedRequest, org_id: str, membership_id: int) -> HttpResponse:
    org, _membership = org_for(request, org_id, OrgAction.MANAGE)
    target = _membership_of(org, membership_id)
    form = forms.RoleForm(request.POST)
    if form.is_valid():
        try:
            services.set_role(membership=target, role=form.cleaned_data["role"])
            messages.success(request, _("%(name)s さんの立場を保存しました。") % {"name": target.user})
        except services.LastAdmin:
            messages.error(request, _("組織には少なくとも一人の管理者が必要です。"))
    return redirect("orgs:detail", org.public_id)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def remove(request: AuthedRequest, org_id: str, membership_id: int) -> HttpResponse:
    """Leaving (one's own membership) or removing someone (an administrator): a page that says what
    happens, then the POST that does it."""
    org, membership = org_for(request, org_id, OrgAction.SEE)
    target = _membership_of(org, membership_id)
    if target.pk != membership.pk and membership.role != Membership.Role.ADMIN:
        raise PermissionDenied
    if request.method != "POST":
        if services.is_last_admin(target):
            messages.error(request, _("組織には少なくとも一人の管理者が必要です。"))
            return redirect("orgs:detail", org.public_id)
        return render(
            request, "orgs/remove.html", {"org": org, "target": target, "self": target.pk == membership.pk}
        )
    try:
        services.remove(membership=target)
    except services.LastAdmin:
        messages.error(request, _("組織には少なくとも一人の管理者が必要です。"))
        return redirect("orgs:detail", org.public_id)
    if target.pk == membership.pk:
        messages.success(request, _("%(org)s から抜けました。") % {"org": org.name})
        return redirect("orgs:list")
    messages.success(request, _("%(name)s さんを組織から外しました。") % {"name": target.user})
    return redirect("orgs:detail", org.public_id)
