"""配置計画: a plan of who supports which 市町村 in a 年度, from the organisation's pool (its staff's
working paper); and the changes a plan, once accepted, proposes to an existing team's leads.

What was asked is kept in fields and ``targets`` (one object per 市町村: its 団体コード, its existing
team's id if any, the size and core bounds, the C target, the preferences); the outcomes (the quick
one at once, the exact one from the second request) as the JSON ``domain.planning.codec`` writes,
keyed by user ids as text. ``PlacementPerson`` lists everyone a plan names, so that a person's
account deletion takes the plans naming them with it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bansou.domain.planning import Changes
from bansou.orgs.models import Organisation
from bansou.teams.models import Team

# The most (person, 市町村) pairs for which the exact plan is worked out in a second request: measured
# (bench/planning_solver.py) at about 17 s of CPU for 17,000 pairs, 60 市町村 and a pool of 5,000.
EXACT_LIMIT = 20_000


class PlacementPlan(models.Model):
    class Allowed(models.TextChoices):
        KEEP = Changes.KEEP.value, _("今のチームは変えない（メンバーはそのまま、追加もしない）")
        ADD = Changes.ADD.value, _("今のメンバーは残し、足りない人を加える")
        FREE = Changes.FREE.value, _("今のメンバーの入れ替えも含めて考える")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("組織")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    targets = models.JSONField()  # [{"lgcode", "team" (id or null), "size_min", ..., "prefer_experience"}]
    changes = models.CharField(_("今のチームの変更"), max_length=8, choices=Allowed.choices)
    areas_required = models.BooleanField(_("対応できる地域の人だけを配置する"), default=False)
    quick = models.JSONField()  # domain.planning.codec of plan_quickly's outcome
    exact = models.JSONField(null=True)  # ... of plan_exactly's, once the second request ran
    exact_at = models.DateTimeField(null=True)
    # (person, 市町村) pairs the plan chose among, counted when it was made: above EXACT_LIMIT the exact
    # plan is not worked out in a web request
    candidates = models.PositiveIntegerField(null=True)
    accepted_at = models.DateTimeField(null=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("配置計画")
        verbose_name_plural = _("配置計画")
        indexes = [models.Index(fields=["organisation", "fiscal_year"], name="placement_org_year")]

    def __str__(self) -> str:
        return str(self.public_id)

    @property
    def exact_too_large(self) -> bool:
        return self.candidates is not None and self.candidates > EXACT_LIMIT

    @property
    def outcome_json(self) -> object:
        """The latest outcome: the exact one once it ran, else the quick one."""
        return self.exact if self.exact is not None else self.quick


class PlacementPerson(models.Model):
    """Someone a plan names (placed, kept, or named in its reasons)."""

    plan = models.ForeignKey(PlacementPlan, on_delete=models.CASCADE, related_name="people")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "user"], name="placement_person_unique")]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.user_id}"


class ChangeProposal(models.Model):
    """What an accepted plan changes in an existing team: people to add (``add``: [[user id, is_lead,
    roles of a core place or []], ...]; older rows have no roles) and members to remove (``remove``:
    [user id, ...]), which the team's leads accept or decline (or the running organisation's staff, while
    the team has no lead)."""

    class Status(models.TextChoices):
        OPEN = "open", _("回答待ち")
        ACCEPTED = "accepted", _("受け入れ済み")
        DECLINED = "declined", _("見送り")
        CLOSED = "closed", _("締め切り（チームはアーカイブ済み）")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(PlacementPlan, on_delete=models.CASCADE, related_name="changes_proposed")
    add = models.JSONField(default=list)
    remove = models.JSONField(default=list)
    status = models.CharField(_("状態"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("チームの変更の提案")
        verbose_name_plural = _("チームの変更の提案")
        constraints = [models.UniqueConstraint(fields=["plan", "team"], name="change_plan_team_unique")]

    def __str__(self) -> str:
        return str(self.public_id)
