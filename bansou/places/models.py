"""都道府県 and 市区町村 with their 全国地方公共団体コード (6 digits, check digit included)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Prefecture(models.Model):
    code = models.CharField(_("都道府県コード"), max_length=2, primary_key=True)  # "01".."47"
    lgcode = models.CharField(_("団体コード"), max_length=6, unique=True)  # "010006"
    name = models.CharField(_("都道府県名"), max_length=10)
    kana = models.CharField(_("よみがな"), max_length=30)

    class Meta:
        ordering = ["code"]
        verbose_name = _("都道府県")
        verbose_name_plural = _("都道府県")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("市町村")
        SPECIAL_WARD = "special_ward", _("特別区")
        DESIGNATED_CITY = "designated_city", _("政令指定都市")
        WARD = "ward", _("政令指定都市の区")

    lgcode = models.CharField(_("団体コード"), max_length=6, primary_key=True)
    prefecture = models.ForeignKey(Prefecture, on_delete=models.PROTECT, related_name="municipalities")
    name = models.CharField(_("市区町村名"), max_length=40)
    kana = models.CharField(_("よみがな"), max_length=80)  # full-width katakana
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices, default=Kind.CITY)
    # A municipality that left the list (a merger) stays for the teams that name it.
    active = models.BooleanField(_("現在の一覧にある"), default=True)

    class Meta:
        ordering = ["lgcode"]
        verbose_name = _("市区町村")
        verbose_name_plural = _("市区町村")

    def __str__(self) -> str:
        return f"{self.prefecture.name} {self.name}" if self.prefecture_id else self.name


class MunicipalityList(models.Model):
    """Which list the rows came from, and its date; the newest row is the one in use."""

    source = models.CharField(_("出典"), max_length=200)
    as_of = models.DateField(_("時点"))
    loaded_at = models.DateTimeField(_("読み込んだ日時"), auto_now_add=True)
    count = models.PositiveIntegerField(_("市区町村の数"))

    class Meta:
        ordering = ["-loaded_at", "-pk"]
        verbose_name = _("市町村一覧")
        verbose_name_plural = _("市町村一覧")

    def __str__(self) -> str:
        return f"{self.source} ({self.as_of})"
