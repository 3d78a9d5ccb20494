"""One invitation model for everything joined by a link or a code: teams, organisations, 研修, and
sign-up codes and feedback requests (answered without an account: ``services.count_use``).

The code is random, shown once when it is made, and stored only as its digest (HMAC-SHA256 keyed with
SECRET_KEY), with its last four characters to tell codes apart in a list. ``approval_required``: a join
waits for the issuer (``Redemption.approved_at``); a team's lead issues such invitations (teams keeps the
requests, ``teams.JoinRequest``).

What the invitation is to is ``kind`` plus ``target_id`` (the team's, organisation's or 研修's
primary key): each app says what joining means for its kind (``web.joining``), so this app knows none
of them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SIGNUP = "signup", _("アカウントの作成")
    ORGANISATION = "organisation", _("組織")
    TEAM = "team", _("支援チーム")
    COHORT = "cohort", _("研修")
    FEEDBACK = "feedback", _("フィードバックの依頼")  # answered without an account: one link, one answer


class Invitation(models.Model):
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)  # none for a sign-up code
    role = models.CharField(_("参加後の立場"), max_length=20, blank=True)  # an organisation's role
    digest = models.CharField(max_length=64, unique=True, editable=False)  # sha256 of the code
    hint = models.CharField(_("コードの末尾"), max_length=4, editable=False)
    note = models.CharField(_("メモ（誰に渡したか）"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now)
    expires_at = models.DateTimeField(_("有効期限"), null=True, blank=True)  # none: until revoked
    revoked_at = models.DateTimeField(_("取り消した日時"), null=True, blank=True)
    max_uses = models.PositiveIntegerField(_("使える回数"), null=True, blank=True)  # none: any; 1: one person
    uses = models.PositiveIntegerField(_("使われた回数"), default=0)
    approval_required = models.BooleanField(_("参加に承認が必要"), default=False)
    grants_signup = models.BooleanField(_("アカウントを作成できる"), default=False)

    class Meta:
        verbose_name = _("招待")
        verbose_name_plural = _("招待")
        indexes = [models.Index(fields=["kind", "target_id"], name="invitation_target")]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(uses__lte=F("max_uses")),
                name="invitation_uses_within_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} …{self.hint}"

    @property
    def target(self) -> int:
        """The primary key of what the invitation is to (a sign-up code has none: ValueError)."""
        if self.target_id is None:
            raise ValueError(f"a {self.kind} invitation is to nothing")
        return self.target_id

    def usable(self, now: object = None) -> bool:
        """Not revoked, not expired, not used up."""
        moment = now or timezone.now()
        return (
            self.revoked_at is None
            and (self.expires_at is None or self.expires_at > moment)  # type: ignore[operator]
            and (self.max_uses is None or self.uses < self.max_uses)
        )


class Redemption(models.Model):
    """Someone used an invitation (joined, or created their account with it)."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="redemptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)  # none while the issuer has not approved

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invitation", "user"], name="redemption_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id}/{self.user_id}"
