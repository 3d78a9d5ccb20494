from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bansou.accounts.forms import ProfileForm, SignupForm
from bansou.accounts.models import Invitation
from bansou.accounts.services import sign_up
from bansou.checks.access import SESSION_KEY
from bansou.checks.services import hand_over


def _keep_visitor_work(request: HttpRequest, visitor_key: str | None) -> None:
    """A visitor's checks and draft become the account's on sign-up or login."""
    if visitor_key and request.user.is_authenticated:
        hand_over(anon_key=visitor_key, user_id=request.user.pk)
        request.session.pop(SESSION_KEY, None)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = sign_up(form=form)
        except Invitation.DoesNotExist:
            form.add_error("invitation_code", _("この招待コードは使えません。管理者に確認してください。"))
        else:
            visitor_key = request.session.get(SESSION_KEY)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            _keep_visitor_work(request, visitor_key)
            messages.success(request, _("アカウントを作成しました。"))
            return redirect(request.POST.get("next") or "web:home")
    return render(request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        visitor_key = self.request.session.get(SESSION_KEY)
        response = super().form_valid(form)
        _keep_visitor_work(self.request, visitor_key)
        return response


@require_http_methods(["GET"])
def logged_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/logged_out.html")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("プロフィールを保存しました。"))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form}, status=400 if form.errors else 200)
