"""Organisations (都道府県, 地方厚生(支)局, 受託事業者, 市町村, その他) and their people."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansou.places.models import Prefecture

INVITATION_DAYS = 14


def invitation_expiry() -> object:
    """The default expiry of invitations in earlier migrations (invitations live in bansou.invitations)."""
    return timezone.now() + timedelta(days=INVITATION_DAYS)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PREFECTURE = "prefecture", _("都道府県")
        REGIONAL_BUREAU = "regional_bureau", _("地方厚生(支)局")
        CONTRACTOR = "contractor", _("受託事業者")
        MUNICIPALITY = "municipality", _("市町村")
        OTHER = "other", _("その他")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("組織名"), max_length=100)
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices)
    prefecture = models.ForeignKey(
        Prefecture,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("都道府県"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("組織")
        verbose_name_plural = _("組織")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's place in an organisation. Staff see the pool; supporters are people it works with."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("管理者")
        STAFF = "staff", _("職員")
        SUPPORTER = "supporter", _("支援者")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_memberships"
    )
    role = models.CharField(_("組織での立場"), max_length=20, choices=Role.choices)
    # Opted into the organisation's pool of people who can be asked to join a team.
    in_pool = models.BooleanField(_("人材プールに登録"), default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="org_membership_unique")]
        indexes = [models.Index(fields=["organisation", "in_pool"], name="org_pool")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.user_id}"

    @property
    def is_staff(self) -> bool:
        return self.role in (self.Role.ADMIN, self.Role.STAFF)
