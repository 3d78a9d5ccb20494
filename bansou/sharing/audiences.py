"""Which teams a person may share a plan with: a port that teams plug into (ARCHITECTURE.md).

Teams sit above sharing, so sharing cannot ask them itself; the teams app provides the answer from
its ``AppConfig.ready()``. (Sharing's tables name teams, so the teams app is always installed with
it; until ``ready()`` has run, nobody is in a team.)
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
    """Registers the one provider of a person's teams (user id -> teams, newest 年度 first); the same
    provider again changes nothing, another one is refused."""
    if _providers and _providers[0] is not provider:
        raise ValueError(f"teams are already provided by {_providers[0]!r}")
    _providers[:] = [provider]


def teams_of(user_id: int) -> list[TeamAudience]:
    return _providers[0](user_id) if _providers else []
