from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A supporter. 氏名 is kept exactly as typed; フリガナ in full-width katakana."""

    display_name = models.CharField(_("氏名"), max_length=100)
    furigana = models.CharField(_("フリガナ"), max_length=100, blank=True)
    roles = models.JSONField(_("役割"), default=list, blank=True)

    REQUIRED_FIELDS = ["display_name"]  # asked by `manage.py createsuperuser` (make admin)

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")

    def __str__(self) -> str:
        return self.display_name or self.username


def _new_code() -> str:
    return secrets.token_urlsafe(12)


class Invitation(models.Model):
    """A sign-up code, for when sign-up is invite-only; an administrator makes it and hands it over."""

    code = models.CharField(_("招待コード"), max_length=32, unique=True, default=_new_code)
    note = models.CharField(_("メモ（誰に渡したか）"), max_length=200, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    used_by = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("招待コード")
        verbose_name_plural = _("招待コード")

    def __str__(self) -> str:
        return self.code
