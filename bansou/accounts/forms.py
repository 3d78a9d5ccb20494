from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, UserCreationForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from bansou.accounts.models import User
from bansou.domain.kana import is_katakana_name, to_katakana
from bansou.domain.roles import ROLES
from bansou.invitations import services as invitations
from bansou.invitations.models import Invitation


class ProfileFieldsMixin:
    """氏名 as typed, フリガナ in full-width katakana, roles from the glossary."""

    def clean_display_name(self: Any) -> str:
        name: str = self.cleaned_data["display_name"]
        if not name.strip():
            raise forms.ValidationError(_("氏名を入力してください。"))
        return name  # stored exactly as typed: no normalisation of a person's name

    def clean_furigana(self: Any) -> str:
        kana = to_katakana(self.cleaned_data.get("furigana", ""))
        if kana and not is_katakana_name(kana):
            raise forms.ValidationError(_("フリガナはカタカナで入力してください。"))
        return kana


def _role_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("役割"),
        choices=ROLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("当てはまるものをすべて選んでください。"),
    )


class SignupForm(ProfileFieldsMixin, UserCreationForm):  # type: ignore[type-arg]
    roles = _role_field()
    invitation_code = forms.CharField(
        label=_("招待コード"),
        required=False,
        help_text=_("管理者から受け取ったコードを入力してください。"),
    )

    class Meta:
        model = User
        fields = ("username", "display_name", "furigana", "roles")
        labels = {"username": _("ログインID")}
        help_texts = {
            "username": _("半角英数字と @ . + - _ が使えます。ログインのときに使います。"),
            "display_name": _("例：伴走 花子"),
            "furigana": _("例：バンソウ ハナコ（ひらがなで入力しても、カタカナにして保存します）"),
        }

    def __init__(self, *args: Any, invitation: Invitation | None = None, **kwargs: Any) -> None:
        """``invitation``: the one the person came by (their way back leads to its join page). Under
        invite-only sign-up, one that lets a new person create an account stands for the code, which
        is then not asked for; any other leaves the code to be typed."""
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        self.carried = invitation if invitation is not None and invitation.grants_signup else None
        if settings.SIGNUP_MODE != "invite" or self.carried is not None:
            del self.fields["invitation_code"]
        else:
            self.fields["invitation_code"].required = True

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if settings.SIGNUP_MODE == "invite" and self.carried is not None:
            cleaned["invitation_code"] = self.carried
        return cleaned

    def clean_invitation_code(self) -> Invitation | None:
        code = self.cleaned_data.get("invitation_code", "")
        invitation = invitations.find_usable(code)
        if invitation is None or not invitation.grants_signup:
            raise forms.ValidationError(_("この招待コードは使えません。管理者に確認してください。"))
        return invitation


class ProfileForm(ProfileFieldsMixin, forms.ModelForm):  # type: ignore[type-arg]
    roles = _role_field()

    class Meta:
        model = User
        fields = ("display_name", "furigana", "roles")
        help_texts = SignupForm.Meta.help_texts


class LoginForm(AuthenticationForm):
    """Sign-in with the same word for the username as sign-up uses."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("ログインID")


def _authenticated(request: HttpRequest, user: User, **credentials: str) -> User | None:
    """The one place a password or a code is checked: ``authenticate``, so django-axes counts a
    wrong one as a failed login for the person's login ID and the address, and refuses while locked
    out (its middleware then answers with the locked-out page)."""
    found = authenticate(request, username=user.get_username(), **credentials)
    return found if isinstance(found, User) and found.pk == user.pk else None


def password_is_right(request: HttpRequest, user: User, password: str) -> bool:
    """A signed-in person's password, checked the way a login is."""
    return _authenticated(request, user, password=password) is not None


def code_is_right(request: HttpRequest, user: User, code: str, device: Device | None = None) -> Device | None:
    """The second factor's code (the authenticator app's, or a recovery code, used up), checked the
    way a password is (``second_factor.backend``); ``device``: only that one (an app being added).
    The device that took it, or None."""
    credentials = {"otp_token": code}
    if device is not None:
        credentials["otp_device"] = device.persistent_id
    found = _authenticated(request, user, **credentials)
    taken: Device | None = getattr(found, "otp_device", None)
    return taken


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with the current password checked through the login throttle."""

    def __init__(self, user: User, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request
        self.fields["old_password"].label = _("いまのパスワード")
        self.fields["new_password1"].label = _("新しいパスワード")
        self.fields["new_password2"].label = _("新しいパスワード（確認用）")

    def clean_old_password(self) -> str:
        old: str = self.cleaned_data["old_password"]
        if not password_is_right(self.request, self.user, old):
            raise forms.ValidationError(_("いまのパスワードが正しくありません。"), code="password_incorrect")
        return old


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("パスワード"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("本人であることの確認のため、パスワードを入力してください。"),
    )

    def __init__(self, *args: Any, user: User, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not password_is_right(self.request, self.user, password):
            raise forms.ValidationError(_("パスワードが正しくありません。"))
        return password
