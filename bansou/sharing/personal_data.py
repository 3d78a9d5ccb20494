"""What sharing holds about a person: the checks they share with a team or an organisation, and the
teams they let read a plan (the plans themselves, with the labels of those teams, are plans' section).

Both go with the account: a share is the person's consent, and nothing is left to consent to.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bansou.domain.personal_data import BELONGING, Declaration, Keyed, Person, Row, Section, SheetRows
from bansou.sharing.models import CheckShare


def _shares(person: Person) -> list[dict[str, Any]]:
    shares = CheckShare.objects.filter(owner_id=person.pk).select_related(
        "team__municipality__prefecture", "organisation", "check_record"
    )
    return [
        {
            "with": share.team.label if share.team else share.organisation.name,  # type: ignore[union-attr]
            "kind": "team" if share.team_id else "organisation",
            "check": str(share.check_record.public_id) if share.check_record else "latest",
            "verdicts_to_staff": share.verdicts_to_staff,
        }
        for share in shares
    ]


def _share_rows(person: Person, shares: list[dict[str, Any]]) -> Iterable[Row]:
    for s in shares:
        check = "常に最新" if s["check"] == "latest" else f"チェックID {s['check']}"
        if s["verdicts_to_staff"]:
            check += "（チームの判定を運営する組織の職員に示すことに同意）"
        yield ("チェックの共有", s["with"], check)


def declare() -> Declaration:
    return Declaration(
        sections=(Section("shares", 500, _shares, sheets=(SheetRows(BELONGING, 40, _share_rows),)),),
        keyed=(
            Keyed("sharing.CheckShare", "owner", "checks shared with a team or an organisation"),
            Keyed("sharing.PlanShare", "plan__owner", "the teams a plan is shared with"),
        ),
    )
