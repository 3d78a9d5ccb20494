from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from bansou.accounts import mydata, session_limits
from bansou.accounts.deletion import delete_account, handovers
from bansou.accounts.forms import (
    DeleteAccountForm,
    LoginForm,
    ProfileForm,
    SignupForm,
    ThrottledPasswordChangeForm,
)
from bansou.accounts.http import AuthedRequest
from bansou.accounts.second_factor import devices
from bansou.accounts.second_factor import login as second_login
from bansou.accounts.second_factor.forms import CodeForm
from bansou.accounts.services import sign_up
from bansou.checks.access import forget_visitor_key, visitor_key
from bansou.checks.queries import visitor_records
from bansou.checks.services import discard_visitor_records, hand_over
from bansou.invitations.services import UsedUp
from bansou.reports import responses
from bansou.web.joining import Invited, invited_by


def _visitor_work_after_sign_in(
    request: HttpRequest, next_url: str | None, keep: bool | None = None
) -> HttpResponse | None:
    """What a visitor answered in this browser before signing in: kept, or asked about.

    Kept at once when the person came from their result's 「引き継ぐ」 link (``keep=1``). Otherwise
    the browser may be a shared terminal and the answers someone else's: the person is asked.
    """
    key = visitor_key(request)
    if not key:
        return None
    if not any(visitor_records(key)):
        forget_visitor_key(request)
        return None
    if keep is None:
        keep = request.POST.get("keep") == "1"
    if keep:
        hand_over(anon_key=key, user_id=int(request.user.pk or 0))
        forget_visitor_key(request)
        messages.success(request, _("ログイン前に回答した内容を引き継ぎました。"))
        return None
    query = urlencode({"next": next_url}) if next_url else ""
    return redirect(f"{reverse('accounts:visitor_work')}?{query}")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def visitor_work(request: HttpRequest) -> HttpResponse:
    """Asks whether what was answered in this browser before signing in is the person's own."""
    key = visitor_key(request)
    next_url = _safe_next(request) or reverse("home")
    if not key:
        return redirect(next_url)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "keep":
            hand_over(anon_key=key, user_id=int(request.user.pk or 0))
            messages.success(request, _("ログイン前に回答した内容を引き継ぎました。"))
        elif action == "discard":
            discard_visitor_records(anon_key=key)
            messages.success(request, _("ログイン前に回答した内容を削除しました。"))
        else:  # neither button: the Japanese 400 page, not an empty one
            return render(request, "400.html", status=400)
        forget_visitor_key(request)
        return redirect(next_url)
    checks, drafts = visitor_records(key)
    context = {"checks": checks, "drafts": drafts, "next": _safe_next(request) or ""}
    return render(request, "accounts/visitor_work.html", context)


def _visitor_work_context(request: HttpRequest) -> dict[str, object]:
    """For the sign-in forms: what this browser answered before signing in, and whether to keep it."""
    key = visitor_key(request)
    checks, drafts = visitor_records(key) if key else (0, 0)
    keep = "1" in (request.POST.get("keep"), request.GET.get("keep"))
    return {"visitor_checks": checks, "visitor_drafts": drafts, "keep": keep}


def _safe_next(request: HttpRequest) -> str | None:
    """The ``next`` address if it is a path on this site (never an open redirect; never a bare word,
    which ``redirect`` would take for the name of a page)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    local = target.startswith("/") and not target.startswith("//")
    return target if local and allowed else None


def _with_next(name: str, next_url: str | None) -> str:
    """The address of the page ``name`` that keeps the way back (``next``)."""
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _invitation_context(next_url: str | None) -> dict[str, object]:
    """For the login and sign-up pages: the invitation the way back leads to (only a usable one is
    told), whether a new person may create an account here, and the links that keep the way back."""
    invited: Invited | None = invited_by(next_url)
    open_signup = settings.SIGNUP_MODE == "open"
    return {
        "invited": invited,
        "may_sign_up": open_signup or (invited is not None and invited.grants_signup),
        "ask_for_invitation": not open_signup and invited is not None and not invited.grants_signup,
        "signup_url": _with_next("accounts:signup", next_url),
        "login_url": _with_next("accounts:login", next_url),
    }


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    next_url = _safe_next(request)
    invited = invited_by(next_url)
    form = SignupForm(request.POST or None, invitation=invited.invitation if invited else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = sign_up(form=form)
        except UsedUp:
            field = "invitation_code" if "invitation_code" in form.fields else None
            form.add_error(field, _("この招待コードは使えません。管理者に確認してください。"))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("アカウントを作成しました。"))
            return _visitor_work_after_sign_in(request, next_url) or redirect(next_url or "home")
    context = {
        "form": form,
        "next": next_url or "",
        **_invitation_context(next_url),
        **_visitor_work_context(request),
    }
    return render(request, "accounts/signup.html", context, status=400 if form.errors else 200)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        invitation = _invitation_context(self.get_redirect_url() or None)
        ended = session_limits.ended_reason(self.request) if self.request.method == "GET" else None
        return {**context, **invitation, **_visitor_work_context(self.request), "session_ended": ended}

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        user = form.get_user()
        if devices.has_one(user):  # not signed in yet: the second factor's code first
            keep = self.request.POST.get("keep") == "1"
            second_login.begin(self.request, user, self.get_success_url(), keep)
            return redirect(_with_next("accounts:login_code", self.get_redirect_url() or None))
        response = super().form_valid(form)
        return _visitor_work_after_sign_in(self.request, self.get_success_url()) or response


@require_http_methods(["GET", "HEAD", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The login's second step: the code of the person's authenticator app, or a recovery code."""
    waiting = second_login.pending(request)
    if waiting is None:  # no password given, or too long ago
        return redirect(_with_next("accounts:login", _safe_next(request)))
    form = CodeForm(request.POST if request.method == "POST" else None, user=waiting.user, request=request)
    if request.method == "POST" and form.is_valid() and form.taken is not None:
        second_login.finish(request, waiting, form.taken)
        if devices.is_recovery_code(form.taken):
            messages.warning(request, _("回復コードでログインしました。使った回復コードは、もう使えません。"))
        after = _visitor_work_after_sign_in(request, waiting.next_url, keep=waiting.keep)
        return after or redirect(waiting.next_url or "home")
    context = {"form": form, "next": _safe_next(request) or ""}
    return render(request, "accounts/login_code.html", context, status=400 if form.errors else 200)


@require_safe
def logged_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/logged_out.html")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("プロフィールを保存しました。"))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_safe
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/my_data.html")


@login_required
@never_cache
@require_safe
def my_json(request: AuthedRequest) -> HttpResponse:
    data = mydata.collect(request.user)
    body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    return responses.download(
        body, "application/json; charset=utf-8", f"bansou-mydata-{responses.stamp()}.json"
    )


@login_required
@never_cache
@require_safe
def my_xlsx(request: AuthedRequest) -> HttpResponse:
    book = mydata.workbook(request.user, mydata.collect(request.user))
    return responses.xlsx(book, "bansou-mydata")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request: AuthedRequest) -> HttpResponse:
    """Deleting one's account: the export first, what will be handed over, the password to confirm."""
    user = request.user
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=user, request=request)
    if request.method == "POST" and form.is_valid():
        delete_account(user)
        logout(request)
        messages.success(request, _("アカウントと、あなたのデータをすべて削除しました。"))
        return redirect("home")
    context = {"form": form, "handovers": handovers(user)}
    return render(request, "accounts/delete.html", context, status=400 if form.errors else 200)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing one's own password from the profile; a wrong current password counts as a failed login."""

    form_class = ThrottledPasswordChangeForm
    template_name = "accounts/password_change.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def get_success_url(self) -> str:
        return reverse("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("パスワードを変更しました。"))
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    """個人情報の取扱い: what is kept, who sees it, for how long, how to take it out and delete it
    (public; the periods are the settings ``manage.py apply_retention`` applies)."""
    return render(
        request,
        "accounts/privacy.html",
        {
            "visitor_days": settings.SESSION_COOKIE_AGE // 86400,
            "draft_days": settings.DRAFT_RETENTION_DAYS,
            "log_days": settings.ACCESS_LOG_RETENTION_DAYS,
        },
    )
