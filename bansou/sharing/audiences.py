"""Which teams a person may share a plan with: a port that teams plug into (ARCHITECTURE.md).

Teams sit above sharing, so sharing cannot ask them itself; the teams app provides the answer from
its ``AppConfig.ready()``. Without a provider (no teams app) a person may share with no team.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TeamAudience:
    team_id: int
    label: str  # the team's name and 年度, as the person knows it


_providers: list[Callable[[int], list[TeamAudience]]] = []


def provide_teams(provider: Callable[[int], list[TeamAudience]]) -> None:
    """Registers the one provider of a person's teams (user id -> teams, newest 年度 first)."""
    _providers[:] = [provider]


def teams_of(user_id: int) -> list[TeamAudience]:
    return _providers[0](user_id) if _providers else []
