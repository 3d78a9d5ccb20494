from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FrameworkVersion(models.Model):
    """One version of a framework file, stored as loaded; checks are bound to it."""

    slug = models.SlugField(_("識別子"), max_length=50)
    version = models.CharField(_("版"), max_length=50)
    title = models.CharField(_("名称"), max_length=200)
    source_text = models.TextField(_("ファイルの内容"))
    digest = models.CharField(_("SHA-256"), max_length=64)
    active = models.BooleanField(_("新しいチェックに使う"), default=False)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("フレームワークの版")
        verbose_name_plural = _("フレームワークの版")
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="framework_version_unique"),
            models.UniqueConstraint(
                fields=["slug"], condition=models.Q(active=True), name="framework_one_active_per_slug"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.version}）"


class Item(models.Model):
    """An item of a framework version, as a row, so that answers can be joined and grouped in SQL."""

    framework = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="items")
    code = models.CharField(max_length=50)
    sheet = models.CharField(max_length=50)
    position = models.PositiveSmallIntegerField()
    element = models.PositiveSmallIntegerField(null=True)
    tier = models.CharField(max_length=10)
    power = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="item_code_unique")]
        ordering = ["framework", "position"]

    def __str__(self) -> str:
        return self.code
