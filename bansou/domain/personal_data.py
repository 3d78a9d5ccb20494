"""What an app holds about a person, declared once: for the my-data export and for account deletion.

Each app that keeps personal data has a module ``personal_data.py`` with one function,
``declare() -> Declaration``; ``bansou.accounts.registry`` finds them all and the export
(``bansou.accounts.mydata``) and account deletion (``bansou.accounts.deletion``) go through them, so
a new app adds its module and edits nothing else. The types live here, in plain Python, because the
apps that declare sit on both sides of accounts (checks below it, orgs, teams, ... above it).

A declaration says three things:

- **export**: ``Section``s, each one key of the JSON file and, optionally, rows of sheets of the xlsx
  and rows of its コード表. Positions are explicit numbers so that the order of the file does not
  depend on the order the apps are installed in.
- **deletion**: ``Handover`` steps (what others depend on changes hands before the person goes: a
  team's lead, an organisation's administrator), each with the sentences the confirmation page shows.
- **tables**: every table holding something about the person. ``Keyed`` ones point at the user
  through foreign keys (their rows go with the account, or lose the link and stay); ``Unkeyed`` ones
  hold a name, a login id or ids as plain values (their rows are erased, or kept for a stated reason).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from bansou.domain.reports import Cell, Column

Row = tuple[Cell, ...]
Code = tuple[str, str, str]  # a row of コード表: (kind, code, meaning)


class Person(Protocol):
    """Whom the data is about (the user model is one)."""

    @property
    def pk(self) -> Any: ...

    @property
    def username(self) -> str: ...


class Rows(Protocol):
    """Rows of a table that can be removed (a Django queryset is one)."""

    def delete(self) -> tuple[int, dict[str, int]]: ...


# Export --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """A sheet of the my-data workbook; more than one section may add rows to it."""

    title: str
    columns: tuple[Column, ...]
    position: int  # sheets are written in this order (コード表 and メタデータ come last)


@dataclass(frozen=True)
class SheetRows:
    """The rows one section adds to a sheet, made from the section's JSON value."""

    sheet: Sheet
    position: int  # among the sections adding rows to the same sheet
    rows: Callable[[Person, Any], Iterable[Row]]


def no_codes(value: Any) -> Iterable[Code]:
    return ()


@dataclass(frozen=True)
class Section:
    """One key of the JSON export and what the same data adds to the xlsx."""

    key: str
    position: int  # keys are written in this order
    collect: Callable[[Person], Any]  # plain values: dicts, lists, str, int, bool, None
    sheets: tuple[SheetRows, ...] = ()
    codes: Callable[[Any], Iterable[Code]] = no_codes  # rows for コード表, from the JSON value


# The sheet of memberships and shares: organisations, teams and 研修 each add their rows to it.
BELONGING = Sheet(
    "共有と所属", (Column("kind", "種類"), Column("name", "相手"), Column("detail", "内容")), position=300
)


# Deletion ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Handover:
    """What others depend on changes hands before the person's rows go (a team's lead, say)."""

    position: int  # steps run, and their sentences show, in this order
    preview: Callable[[Person], list[str]]  # what would happen, one sentence each, for the confirmation
    run: Callable[[Person], None]  # inside deletion's transaction, before any row about the person goes


class Fate(StrEnum):
    """What account deletion does to the rows about the person."""

    REMOVED = "removed"  # they go: a foreign key cascades, or the registry erases them
    UNLINKED = "unlinked"  # they stay as someone else's record; the key to the person is cleared
    KEPT = "kept"  # they stay as they are (a name or ids as text): ``why`` says why


@dataclass(frozen=True)
class Keyed:
    """A table whose rows point at the user through foreign keys."""

    model: str  # "app_label.ModelName"
    path: str  # the lookup from the model to the user: "owner", "check_record__owner" ("pk": the user)
    holds: str  # what, in a few words
    fate: Fate = Fate.REMOVED  # REMOVED: every key on the path cascades; UNLINKED: the last sets NULL
    why: str = ""  # for UNLINKED: why the rows stay

    def __post_init__(self) -> None:
        if self.fate is Fate.KEPT:
            raise ValueError(f"{self.model}: a keyed table loses its rows or its key, it is not kept")
        if self.fate is Fate.UNLINKED and not self.why:
            raise ValueError(f"{self.model}.{self.path}: say why its rows stay")


@dataclass(frozen=True)
class Unkeyed:
    """A table that holds something about the person without a key to the user (a name, a login id)."""

    model: str  # "app_label.ModelName"
    fields: tuple[str, ...]  # where it is held
    holds: str
    find: Callable[[Person], Rows]  # the rows about the person (asked before the account goes)
    fate: Fate = Fate.REMOVED  # REMOVED: deletion erases ``find``'s rows; KEPT: they stay
    why: str = ""  # for KEPT: why

    def __post_init__(self) -> None:
        if self.fate is Fate.UNLINKED:
            raise ValueError(f"{self.model}: a table without a key to the user has nothing to unlink")
        if self.fate is Fate.KEPT and not self.why:
            raise ValueError(f"{self.model}.{','.join(self.fields)}: say why its rows stay")


@dataclass(frozen=True)
class Declaration:
    """Everything one app holds about a person (``declare()`` in the app's ``personal_data``)."""

    sections: tuple[Section, ...] = ()
    handovers: tuple[Handover, ...] = ()
    keyed: tuple[Keyed, ...] = ()
    unkeyed: tuple[Unkeyed, ...] = ()
