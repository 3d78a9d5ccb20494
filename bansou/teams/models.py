"""Support teams, their members and invitations, 担当, and who looked at members' answers."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansou.checks.models import Check
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.orgs.models import Organisation
from bansou.places.models import Municipality


class Team(models.Model):
    """A support team for one municipality in one 年度."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="teams", verbose_name=_("支援する市町村")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("チーム名"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teams",
        verbose_name=_("運営する組織"),
    )
    # C rule: how many members must practise each C element (a team setting).
    needed = models.PositiveSmallIntegerField(_("C の各エレメントを実践できる人数の目安"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    # An archived team has ended: listed apart, no new invitations; what was shared with it stays.
    archived_at = models.DateTimeField(_("アーカイブした日時"), null=True, blank=True)
    # The team of the previous 年度 this one carries on (``renewal.carry``); each team is carried once.
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("前年度のチーム"),
    )

    class Meta:
        indexes = [models.Index(fields=["organisation", "fiscal_year"], name="team_org_year")]
        constraints = [models.UniqueConstraint(fields=["carried_from"], name="team_carried_once")]
        verbose_name = _("支援チーム")
        verbose_name_plural = _("支援チーム")

    def __str__(self) -> str:
        return self.name or str(self.municipality_id)

    @property
    def label(self) -> str:
        """「〇〇町（チーム名）」, or the 市町村 alone for a team without a name."""
        return f"{self.municipality}（{self.name}）" if self.name else str(self.municipality)

    @property
    def listing(self) -> str:
        """The label with the 年度 and the running organisation, which tell two like-named teams apart:
        「東京都 千代田区（第1支援チーム）・2026年度・運営：東京都 福祉局」."""
        parts: list[str] = [self.label, format_fiscal_year(self.fiscal_year)]
        if self.organisation_id is not None:
            parts.append(str(_("運営：%(org)s")) % {"org": self.organisation})
        if self.archived_at is not None:
            parts.append(str(_("アーカイブ済み")))
        return "・".join(parts)


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    roles = models.JSONField(_("チームでの役割"), default=list)
    is_lead = models.BooleanField(_("チームリーダー"), default=False)
    affiliation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所属"),
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="team_member_unique")]

    def __str__(self) -> str:
        return f"{self.team_id}/{self.user_id}"


class Assignment(models.Model):
    """担当: a member takes responsibility for an element in this team."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="assignments")
    element = models.PositiveSmallIntegerField()
    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="assignments")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "element", "member"], name="assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.team_id}/{self.element}/{self.member_id}"


class AccessLog(models.Model):
    """Someone looked at a person's item-level answers, or placed them in a team proposal that became a
    team (``What.PLACED``, no check). The person can read these rows."""

    class What(models.TextChoices):
        MEMBER_ANSWERS = "member_answers", _("項目ごとの回答")
        DIALOGUE = "dialogue", _("対話シート")
        # Staff placed the person in a team proposal that became this team: the proposal read the
        # element and label standings of the check they share with the organisation, not its answers.
        PLACED = "placed", _("チームの提案に入り、チームが作られた（力ごとのまとめとプロフィールを使用）")

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("見られた人")
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("見た人"),
    )
    viewer_name = models.CharField(
        _("見た人の氏名"), max_length=100
    )  # as it was then, kept if the account goes
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("支援チーム")
    )
    team_label = models.CharField(_("チーム"), max_length=200)
    check_record = models.ForeignKey(
        Check, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("チェック")
    )
    what = models.CharField(_("見たもの"), max_length=20, choices=What.choices)
    at = models.DateTimeField(_("日時"), default=timezone.now)

    class Meta:
        verbose_name = _("回答の閲覧の記録")
        verbose_name_plural = _("回答の閲覧の記録")
        indexes = [models.Index(fields=["subject", "at"], name="access_log_subject")]

    def __str__(self) -> str:
        return f"{self.viewer_name}->{self.subject_id}"


class JoinRequest(models.Model):
    """Someone who used an invitation that needs the lead's approval: what they chose on the join page
    (roles, affiliation), kept until a lead lets them in (they become a member and this goes) or
    refuses (``refused_at``: the same invitation does not ask again)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    redemption = models.OneToOneField("invitations.Redemption", on_delete=models.CASCADE, related_name="+")
    roles = models.JSONField(_("チームでの役割"), default=list)
    affiliation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    refused_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="join_request_unique")]

    def __str__(self) -> str:
        return f"{self.team_id}/{self.user_id}"


class Reason(models.TextChoices):
    """Why a place in a team is offered."""

    RENEWAL = "renewal", _("次年度への継続")
    PLACEMENT = "placement", _("配置計画")
    LEAD = "lead", _("リーダーがいないため")  # a team left with no lead: a steward asks someone to lead


class Offer(models.Model):
    """A place in a team asked of a known user of the app (no code to pass on): open until they answer
    (``accepted``); a withdrawn offer is deleted. One open offer per person and team. Archiving the team
    (or the person joining it by another way) closes it for good: ``answered_at`` set, ``accepted``
    None."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="offers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_lead = models.BooleanField(_("リーダーとして"), default=False)
    # The roles the place comes with (a renewal: those held in the last 年度's team); empty: the
    # person's own roles from their account.
    roles = models.JSONField(_("チームでの役割"), default=list, blank=True)
    reason = models.CharField(_("理由"), max_length=20, choices=Reason.choices)
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offered_at = models.DateTimeField(_("依頼した日時"), default=timezone.now)
    answered_at = models.DateTimeField(_("回答した日時"), null=True, blank=True)
    accepted = models.BooleanField(_("参加する"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=models.Q(answered_at__isnull=True),
                name="offer_open_unique",
            )
        ]
        indexes = [models.Index(fields=["user", "answered_at"], name="offer_user_open")]
        verbose_name = _("チームへの参加の依頼")
        verbose_name_plural = _("チームへの参加の依頼")

    def __str__(self) -> str:
        return f"{self.team_id}/{self.user_id}"

    @property
    def is_open(self) -> bool:
        """Not answered nor closed, and the team not archived."""
        return self.answered_at is None and self.team.archived_at is None
