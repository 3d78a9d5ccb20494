"""What placements shows a team's leads on the team's page (``teams.companions.lead_notices``): the
open changes accepted plans propose to the team. One query."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from bansou.placements.models import ChangeProposal
from bansou.teams.companions import LeadNotice, LeadsOf


def open_changes(leads: LeadsOf) -> dict[str, Any]:
    found = ChangeProposal.objects.filter(team_id=leads.team_id, status=ChangeProposal.Status.OPEN).order_by(
        "created_at"
    )
    return {
        "placements": tuple(
            LeadNotice(
                text=_("配置計画から、このチームのメンバーの変更が提案されています。"),
                url=reverse("placements:change", args=[c.public_id]),
                link=_("変更の提案を見る"),
            )
            for c in found
        )
    }
