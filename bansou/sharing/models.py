"""Consent: which of a person's checks and plans a team or an organisation may see.

No row means private (the default); withdrawing deletes the row, and with it the consent that went
with the share (the team's verdicts shown to the running organisation's staff). The tables keep the
names they had when sharing lived in teams and plans (``teams_checkshare``, ``plans_planshare``).

Teams and plans sit above this app: their models are named here as strings, and the services take
ids, so sharing never imports them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bansou.checks.models import Check
from bansou.orgs.models import Organisation

# Exactly one audience: a team or an organisation.
_ONE_AUDIENCE = Q(team__isnull=False, organisation__isnull=True) | Q(
    team__isnull=True, organisation__isnull=False
)


class CheckShare(models.Model):
    """A person lets a team (or an organisation's pool) see one of their checks, or always the latest."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shares")
    team = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="shares"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="shares"
    )
    # NULL: 常に最新 — whichever check the owner submitted last.
    check_record = models.ForeignKey(Check, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # With a team only: the owner lets the team's verdicts be shown to the staff of the organisation
    # that runs it (``bansou.domain.verdict_consent``). Goes with the share when they stop sharing.
    verdicts_to_staff = models.BooleanField(
        _("チームとしての判定を、運営する組織の職員に示してよい"), default=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "teams_checkshare"
        constraints = [
            models.CheckConstraint(condition=_ONE_AUDIENCE, name="share_one_audience"),
            models.CheckConstraint(
                condition=Q(team__isnull=False) | Q(verdicts_to_staff=False), name="share_verdicts_team_only"
            ),
            models.UniqueConstraint(
                fields=["owner", "team"], condition=Q(team__isnull=False), name="share_one_per_team"
            ),
            models.UniqueConstraint(
                fields=["owner", "organisation"],
                condition=Q(organisation__isnull=False),
                name="share_one_per_org",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id}->{self.team_id or self.organisation_id}"


class PlanShare(models.Model):
    """The owner lets a team they belong to read a plan's steps (not its 振り返り). No row: private."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="shares")
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="plan_shares")
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "plans_planshare"
        constraints = [models.UniqueConstraint(fields=["plan", "team"], name="plan_share_unique")]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.team_id}"
