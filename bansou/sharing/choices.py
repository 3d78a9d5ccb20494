"""What a person chooses to share, and with whom: typed values instead of string sentinels."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bansou.sharing.models import CheckShare


class Shared(StrEnum):
    PRIVATE = ""  # nothing is shared (the default); the form's value for it is empty
    LATEST = "latest"  # 常に最新: whichever check the owner submitted last
    CHECK = "check"  # one check, chosen by its public id


@dataclass(frozen=True)
class ShareChoice:
    kind: Shared
    check_id: uuid.UUID | None = None  # with Shared.CHECK only

    def __post_init__(self) -> None:
        if (self.kind is Shared.CHECK) != (self.check_id is not None):
            raise ValueError("a check id goes with Shared.CHECK, and only with it")

    @classmethod
    def parse(cls, value: str) -> ShareChoice:
        """A form's value: "" (private), "latest", or a check's public id. ValueError otherwise."""
        if value == Shared.PRIVATE.value:
            return PRIVATE
        if value == Shared.LATEST.value:
            return LATEST
        return cls(Shared.CHECK, uuid.UUID(value))

    @classmethod
    def of(cls, share: CheckShare | None) -> ShareChoice:
        """The choice a stored share stands for (None: private)."""
        if share is None:
            return PRIVATE
        if share.check_record_id is None:
            return LATEST
        assert share.check_record is not None
        return cls(Shared.CHECK, share.check_record.public_id)

    @property
    def value(self) -> str:
        """The form's value for this choice (the inverse of ``parse``)."""
        return str(self.check_id) if self.kind is Shared.CHECK else self.kind.value

    @property
    def private(self) -> bool:
        return self.kind is Shared.PRIVATE


PRIVATE = ShareChoice(Shared.PRIVATE)
LATEST = ShareChoice(Shared.LATEST)


@dataclass(frozen=True)
class Audience:
    """Who sees a share: one team, or one organisation (its staff, through the pool)."""

    team_id: int | None = None
    organisation_id: int | None = None

    def __post_init__(self) -> None:
        if (self.team_id is None) == (self.organisation_id is None):
            raise ValueError("an audience is one team or one organisation")

    @classmethod
    def team(cls, team_id: int) -> Audience:
        return cls(team_id=team_id)

    @classmethod
    def organisation(cls, organisation_id: int) -> Audience:
        return cls(organisation_id=organisation_id)

    def lookup(self) -> dict[str, int]:
        """The share's filter for this audience."""
        if self.team_id is not None:
            return {"team_id": self.team_id}
        assert self.organisation_id is not None
        return {"organisation_id": self.organisation_id}
