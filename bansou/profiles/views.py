"""One's own supporter profile: the page, and the forms that add and remove 市町村 and periods."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bansou.accounts.http import AuthedRequest
from bansou.profiles import forms, queries, services
from bansou.profiles.models import SupporterProfile


def _initial(profile: SupporterProfile | None) -> dict[str, Any]:
    if profile is None:
        return {"capacity": 1}
    return {
        "prefectures": list(profile.prefectures.all()),
        "professions": list(profile.professions),
        "profession_note": profile.profession_note,
        "core_role": profile.core_role,
        "capacity": profile.capacity,
    }


def _page(
    request: AuthedRequest,
    *,
    profile_form: forms.ProfileForm | None = None,
    area_form: forms.AreaForm | None = None,
    period_form: forms.PeriodForm | None = None,
) -> HttpResponse:
    user_id = int(request.user.pk)
    profile = queries.profile_of(user_id)
    picked = request.GET.get("municipality", "")
    page = reverse("profiles:edit")
    context = {
        "profile": profile,
        "form": profile_form or forms.ProfileForm(initial=_initial(profile)),
        "area_form": area_form or forms.AreaForm(initial={"municipality": picked}),
        "period_form": period_form or forms.PeriodForm(),
        "municipalities": list(profile.municipalities.all()) if profile else [],
        "periods": list(profile.unavailable.all()) if profile else [],
        "today": timezone.localdate(),
        "readers": queries.readers_of(user_id),
        "picker": f"{reverse('places:municipalities')}?next={page}",
        "picked": bool(picked),
    }
    invalid = any(f is not None and f.errors for f in (profile_form, area_form, period_form))
    return render(request, "profiles/edit.html", context, status=400 if invalid else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: AuthedRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    form = forms.ProfileForm(request.POST)
    if not form.is_valid():
        return _page(request, profile_form=form)
    services.save_profile(user_id=int(request.user.pk), **form.cleaned_data)
    messages.success(request, _("支援者プロフィールを保存しました。"))
    return redirect("profiles:edit")


@login_required
@require_POST
def add_area(request: AuthedRequest) -> HttpResponse:
    form = forms.AreaForm(request.POST)
    if not form.is_valid():
        return _page(request, area_form=form)
    municipality = form.cleaned_data["municipality"]
    services.add_municipality(user_id=int(request.user.pk), municipality=municipality)
    messages.success(request, _("対応できる市町村に %(name)s を加えました。") % {"name": municipality})
    return redirect(reverse("profiles:edit") + "#areas")


@login_required
@require_POST
def remove_area(request: AuthedRequest, lgcode: str) -> HttpResponse:
    services.remove_municipality(user_id=int(request.user.pk), lgcode=lgcode)
    messages.success(request, _("対応できる市町村から外しました。"))
    return redirect(reverse("profiles:edit") + "#areas")


@login_required
@require_POST
def add_period(request: AuthedRequest) -> HttpResponse:
    form = forms.PeriodForm(request.POST)
    if not form.is_valid():
        return _page(request, period_form=form)
    data = form.cleaned_data
    services.add_unavailable(user_id=int(request.user.pk), start=data["start"], end=data["end"])
    messages.success(request, _("対応できない期間を加えました。"))
    return redirect(reverse("profiles:edit") + "#periods")


@login_required
@require_POST
def remove_period(request: AuthedRequest, period_id: int) -> HttpResponse:
    services.remove_unavailable(user_id=int(request.user.pk), period_id=period_id)
    messages.success(request, _("対応できない期間を削除しました。"))
    return redirect(reverse("profiles:edit") + "#periods")
