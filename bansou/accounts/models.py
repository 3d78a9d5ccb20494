from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
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


class AuditEntry(models.Model):
    """What an organisation's staff (or an administrator) searched, opened or downloaded: who, when, what
    kind, which object by its label; never an answer. ``subject`` is the person it concerns, if one
    (they read it on their sharing page). Who looked at a member's answers or a dialogue sheet is in
    teams' access log, not here."""

    class Kind(models.TextChoices):
        POOL_SEARCH = "pool_search", _("人材プールの検索")
        POOL_PERSON = "pool_person", _("人材プールの支援者プロフィールの閲覧")
        TEAM_DOWNLOAD = "team_download", _("支援チームの資料のダウンロード（組織の職員）")
        COHORT_TOTALS = "cohort_totals", _("研修の集計のダウンロード")
        PROPOSAL = "proposal", _("チームの提案の依頼")
        PLACEMENT = "placement", _("配置計画の作成・ダウンロード")
        DASHBOARD = "dashboard", _("組織のダッシュボードの閲覧")

    actor = models.ForeignKey(
        "User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("操作した人")
    )
    actor_name = models.CharField(_("操作した人の氏名"), max_length=100)  # as it was then
    subject = models.ForeignKey(
        "User", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("対象の人")
    )
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    target = models.CharField(_("対象"), max_length=300)
    at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("職員の操作の記録")
        verbose_name_plural = _("職員の操作の記録")
        indexes = [models.Index(fields=["subject", "at"], name="audit_subject")]

    def __str__(self) -> str:
        return f"{self.actor_name}: {self.get_kind_display()}"
