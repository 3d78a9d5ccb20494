"""Which teams a person may share a plan with: a port that teams plug into (ARCHITECTURE.md).

Teams sit above sharing, so sharing cannot ask them itself; the teams app provides the answer from
its ``AppConfig.ready()``. (Sharing's tables name teams, so the teams app is always installed with
it; until ``ready()`` has run, nobody is in a team.)
"""

from __future__ import annotations

from dataclasses import dataclass

from bansou.domain.ports import Provided


@dataclass(frozen=True)
class TeamAudience:
    team_id: int
    label: str  # the team's name and 年度, as the person knows it


# User id -> the teams they are in, newest 年度 first.
teams_of: Provided[int, list[TeamAudience]] = Provided("sharing.teams_of", lambda user_id: [])
