"""The admin site asks for a second factor always, whatever ``OTP_REQUIRED_FOR_STAFF`` says.

Its pages need a session verified by the person's authenticator app (or a recovery code). Its login
is the site's own two-step login (so the same throttle and the same code page); an administrator
signed in without a second factor is taken to add one first, and comes back to the admin site.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from bansou.accounts.second_factor import devices, gate
from bansou.accounts.views import LoginView


def verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


class AdminSite(admin.AdminSite):
    site_header = "bansou 管理"
    site_title = "bansou 管理"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(super().has_permission(request)) and verified(request)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        user = request.user
        asked = request.GET.get("next") or ""
        safe = url_has_allowed_host_and_scheme(asked, {request.get_host()}, require_https=request.is_secure())
        next_url = asked if asked and safe else reverse("admin:index")
        if self.has_permission(request):
            return redirect(next_url)
        if user.is_authenticated:
            if not (user.is_active and user.is_staff) or verified(request):
                raise PermissionDenied  # not one of the site's administrators
            if not devices.has_one(user):
                return redirect(gate.enrolment_url(next_url))
            logout(request)  # a session from before the app was added: log in again, with its code
        response = LoginView.as_view()(request)
        assert isinstance(response, HttpResponse)
        return response
