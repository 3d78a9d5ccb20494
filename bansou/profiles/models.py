"""The supporter profile for selection (支援者プロフィール): what a person says about the support they
can give, filled in by themselves. Staff of an organisation read it only while the person is in that
organisation's pool (teams shows it); experience is not typed here, it comes from the teams they were in.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bansou.places.models import Municipality, Prefecture

MAX_CAPACITY = 10


class SupporterProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supporter_profile"
    )
    prefectures = models.ManyToManyField(
        Prefecture, blank=True, related_name="+", verbose_name=_("対応できる都道府県")
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="+", verbose_name=_("対応できる市町村")
    )
    # Codes of ``bansou.domain.professions.PROFESSIONS``.
    professions = models.JSONField(_("職種・分野"), default=list, blank=True)
    profession_note = models.CharField(_("そのほかの専門・得意分野"), max_length=200, blank=True)
    core_role = models.BooleanField(_("中核推進役・調整役を担える"), default=False)
    capacity = models.PositiveSmallIntegerField(
        _("1年度に受けられるチームの数"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("支援者プロフィール")
        verbose_name_plural = _("支援者プロフィール")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=MAX_CAPACITY), name="profile_capacity_range"
            )
        ]

    def __str__(self) -> str:
        return str(self.user_id)


class Unavailability(models.Model):
    """A period in which the person cannot take part in support (both days included)."""

    profile = models.ForeignKey(SupporterProfile, on_delete=models.CASCADE, related_name="unavailable")
    start = models.DateField(_("開始日"))
    end = models.DateField(_("終了日"))

    class Meta:
        ordering = ["start", "end", "pk"]
        verbose_name = _("対応できない期間")
        verbose_name_plural = _("対応できない期間")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="unavailable_end_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.start}〜{self.end}"
