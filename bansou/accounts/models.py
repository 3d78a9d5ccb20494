from __future__ import annotations

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
    """The default of the sign-up codes of earlier migrations (codes now live in bansou.invitations)."""
    import secrets

    return secrets.token_urlsafe(12)
