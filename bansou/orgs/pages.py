"""What rooms above orgs add to an organisation's page (a port, ARCHITECTURE.md): the viewer's pool
registration (sharing) and the teams the organisation runs (teams, for its staff)."""

from __future__ import annotations

from dataclasses import dataclass

from bansou.domain.ports import ContextPort
from bansou.orgs.models import Membership, Organisation


@dataclass(frozen=True)
class OrgPage:
    organisation: Organisation
    membership: Membership  # the viewer's


detail: ContextPort[OrgPage] = ContextPort("orgs.detail")
