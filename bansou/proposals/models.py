"""Team proposals: what the organisation's staff asked for, and what the optimiser proposed.

A proposal is the staff's working paper, seen by the organisation's staff only. The request is kept in
fields; the outcomes (the quick one at once, the exact one from the second request) as the JSON the
domain's codec writes, keyed by user ids; ``ProposalPerson`` lists everyone a proposal names, so that
a person's account deletion takes the proposals naming them with it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bansou.orgs.models import Organisation
from bansou.places.models import Municipality
from bansou.teams.models import Team


class TeamProposal(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("組織")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("支援する市町村")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    size_min = models.PositiveSmallIntegerField(_("チームの人数（下限）"))
    size_max = models.PositiveSmallIntegerField(_("チームの人数（上限）"))
    core_min = models.PositiveSmallIntegerField(_("中核推進役・調整役の人数（下限）"))
    core_max = models.PositiveSmallIntegerField(_("中核推進役・調整役の人数（上限）"))
    needed = models.PositiveSmallIntegerField(_("C の各力を実践できる人数の目安"))
    must_in = models.JSONField(default=list)  # user ids
    must_out = models.JSONField(default=list)  # user ids
    prefer_area = models.BooleanField(_("地域を知る人を優先"), default=False)
    prefer_experience = models.BooleanField(_("この市町村を支援したことのある人を優先"), default=False)
    quick = models.JSONField()  # domain.forming.codec of propose_quickly's outcome
    exact = models.JSONField(null=True)  # ... of propose_exactly's, once the second request ran
    exact_at = models.DateTimeField(null=True)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("チームの提案")
        verbose_name_plural = _("チームの提案")
        indexes = [models.Index(fields=["organisation", "created_at"], name="proposal_org_created")]

    def __str__(self) -> str:
        return str(self.public_id)


class ProposalPerson(models.Model):
    """Someone a proposal names (asked to be in or out, or proposed)."""

    proposal = models.ForeignKey(TeamProposal, on_delete=models.CASCADE, related_name="people")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="proposal_person_unique")]

    def __str__(self) -> str:
        return f"{self.proposal_id}/{self.user_id}"
