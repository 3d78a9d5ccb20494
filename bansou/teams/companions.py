"""What higher rooms add to a team's dialogue sheet (a port, ARCHITECTURE.md): rows per member that a
member chose to bring to the team (feedback: the items where others saw them most differently).

A contributor is given the team and its current members' user ids, and answers, under a key of its
own, a ``MemberExtras``: a heading, a line on what it is, and rows by user id. Only current members
are asked about, so what someone brought stops showing when they leave the team. A contributor runs a
fixed number of queries whatever the number of members.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bansou.domain.ports import ContextPort


@dataclass(frozen=True)
class SheetMembers:
    team_id: int
    user_ids: tuple[int, ...]  # the team's members now


@dataclass(frozen=True)
class Row:
    label: str  # what the row is about (an item, as the sheet names it)
    words: str  # what is said of it


@dataclass(frozen=True)
class MemberExtras:
    heading: str
    note: str
    rows: Mapping[int, tuple[Row, ...]] = field(default_factory=dict)  # user id -> rows (none: not shown)


dialogue: ContextPort[SheetMembers] = ContextPort("teams.dialogue")


def extras_for(members: SheetMembers) -> list[MemberExtras]:
    """Every contributor's extras for the sheet, in the order they plugged in."""
    found = []
    for key, given in dialogue.collect(members).items():
        if not isinstance(given, MemberExtras):
            raise TypeError(f"teams.dialogue: {key!r} gave {type(given).__name__}, not MemberExtras")
        found.append(given)
    return found


@dataclass(frozen=True)
class LeadNotice:
    """Something a higher room asks of the team's leads, shown on the team's page: a sentence and a
    link to where they answer it (placements: a change a plan proposes to the team)."""

    text: str
    url: str
    link: str


@dataclass(frozen=True)
class LeadsOf:
    team_id: int


lead_notices: ContextPort[LeadsOf] = ContextPort("teams.lead_notices")


def notices_for(team_id: int) -> list[LeadNotice]:
    """Every contributor's notices for the team's leads (each gives a tuple of them under its key)."""
    found: list[LeadNotice] = []
    for key, given in lead_notices.collect(LeadsOf(team_id)).items():
        if not all(isinstance(n, LeadNotice) for n in given):
            raise TypeError(f"teams.lead_notices: {key!r} gave something else than LeadNotice")
        found.extend(given)
    return found
