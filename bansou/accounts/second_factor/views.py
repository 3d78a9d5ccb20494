"""The person's own pages of the second factor: what they have, adding an app, recovery codes, removing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django_otp import login as otp_login

from bansou.accounts.forms import DeleteAccountForm
from bansou.accounts.http import AuthedRequest
from bansou.accounts.second_factor import devices, gate
from bansou.accounts.second_factor.forms import CodeForm

FRESH = "bansou_fresh_recovery_codes"  # the codes just made, shown by the very next page only


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if target and allowed else ""


def _verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


@login_required
@require_safe
def overview(request: AuthedRequest) -> HttpResponse:
    context = {"state": devices.state_of(request.user)}
    return render(request, "accounts/second_factor.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def add(request: AuthedRequest) -> HttpResponse:
    """Adding an authenticator app: its key as a QR code (and typed), then one code from it."""
    user = request.user
    next_url = _next(request)
    if devices.has_one(user):
        return redirect("accounts:second_factor")
    device = devices.pending_app(user)
    posted = request.POST if request.method == "POST" else None
    form = CodeForm(posted, user=user, request=request, device=device)
    if request.method == "POST" and form.is_valid():
        request.session[FRESH] = devices.confirm(device)
        otp_login(request, device)
        gate.enrolled(request)
        messages.success(request, _("2段階認証を設定しました。"))
        query = f"?{urlencode({'next': next_url})}" if next_url else ""
        return redirect(reverse("accounts:recovery_codes") + query)
    context = {
        "form": form,
        "qr": devices.qr_svg(device),
        "key": devices.key_groups(device),
        "next": next_url,
        "required": gate.must_enrol(request) or devices.must_have(user),
    }
    return render(request, "accounts/second_factor_add.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def recovery_codes(request: AuthedRequest) -> HttpResponse:
    """The recovery codes just made, shown once; or new ones made (the old ones stop working)."""
    user = request.user
    if request.method == "POST":
        if not devices.has_one(user) or not _verified(request):
            raise PermissionDenied
        request.session[FRESH] = devices.new_recovery_codes(user)
        messages.success(request, _("回復コードを作り直しました。前の回復コードは使えなくなりました。"))
        return redirect("accounts:recovery_codes")
    fresh = request.session.pop(FRESH, None) or []
    context = {
        "codes": [devices.written(code) for code in fresh],
        "state": devices.state_of(user),
        "next": _next(request),
    }
    return render(request, "accounts/recovery_codes.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def remove(request: AuthedRequest) -> HttpResponse:
    """Removing the app and the recovery codes (a lost phone: then adding a new one), with the password."""
    user = request.user
    if not devices.has_one(user):
        return redirect("accounts:second_factor")
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=user, request=request)
    form.fields["password"].help_text = _("本人であることの確認のため、パスワードを入力してください。")
    if request.method == "POST" and form.is_valid():
        devices.remove(user)
        if devices.must_have(user):
            gate.require_enrolment(request)
            messages.success(request, _("設定を削除しました。新しい認証アプリを設定してください。"))
            return redirect("accounts:second_factor_add")
        messages.success(request, _("2段階認証を無効にしました。"))
        return redirect("accounts:second_factor")
    context = {"form": form, "required": devices.must_have(user)}
    return render(request, "accounts/second_factor_remove.html", context, status=400 if form.errors else 200)
