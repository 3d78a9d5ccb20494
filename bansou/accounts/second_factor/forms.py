from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from bansou.accounts.forms import code_is_right
from bansou.accounts.models import User
from bansou.accounts.second_factor import devices


class CodeForm(forms.Form):
    """The code of the person's authenticator app (or, at login, a recovery code), checked through
    the login throttle. ``device``: only that app (one being added)."""

    code = forms.CharField(
        label=_("確認コード"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(
        self, *args: Any, user: User, request: HttpRequest, device: TOTPDevice | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        self.device = device
        self.taken: Device | None = None
        self.fields["code"].help_text = (
            _("認証アプリに表示されている6桁の数字を入力してください。")
            if device is not None
            else _(
                "認証アプリに表示されている6桁の数字を入力してください。"
                "スマートフォンが手元にないときは、回復コード（12桁）の一つを入力できます。"
            )
        )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        wait = devices.pause_left(self.user, self.device)
        if wait > 0:  # nothing is checked (nor counted): django-otp would refuse even the right code
            raise forms.ValidationError(
                _("続けて間違えたため、%(seconds)d 秒ほど待ってから、そのときの数字を入力してください。"),
                params={"seconds": wait},
            )
        self.taken = code_is_right(self.request, self.user, code, self.device)
        if self.taken is None:
            raise forms.ValidationError(
                _("確認コードが正しくありません。認証アプリに表示されている、いまの数字を入力してください。")
            )
        return code
