"""Everything the application holds about one person, for them to download (JSON and xlsx).

Each section reads one table (or two), so the export costs a fixed number of queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.utils import timezone

from bansou.accounts.models import User
from bansou.checks.models import Check, CheckAnswer, Draft, DraftCell
from bansou.cohorts.models import Participant, Submission
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.reports import (
    CheckRecord,
    Column,
    Table,
    Workbook,
    answers_table,
    code_table,
    metadata_table,
    standard_metadata,
)
from bansou.domain.roles import ROLES
from bansou.domain.scoring import Answer
from bansou.frameworks.models import FrameworkVersion
from bansou.frameworks.queries import current_version, framework_of
from bansou.orgs.models import Membership
from bansou.plans.models import Plan, Status
from bansou.sharing.models import CheckShare, PlanShare
from bansou.teams.models import AccessLog, TeamMember
from bansou.teams.presenters import team_label


def _iso(moment: datetime.datetime | datetime.date | None) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, datetime.datetime):
        return timezone.localtime(moment).isoformat(timespec="seconds")
    return moment.isoformat()


def _role_names(codes: list[str]) -> list[str]:
    names = dict(ROLES)
    return [names.get(code, code) for code in codes]


def collect(user: User) -> dict[str, Any]:
    """The person's data as plain values (what the JSON file holds)."""
    checks = list(Check.objects.filter(owner=user).select_related("framework").order_by("submitted_at"))
    answers: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for check_id, code, understanding, practice in CheckAnswer.objects.filter(
        check_record__owner=user
    ).values_list("check_record_id", "item__code", "understanding", "practice"):
        answers[check_id].append({"item": code, "understanding": understanding, "practice": practice})
    drafts = list(Draft.objects.filter(owner=user).select_related("framework"))
    cells: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for draft_id, code, axis, value in DraftCell.objects.filter(draft__owner=user).values_list(
        "draft_id", "item_code", "axis", "value"
    ):
        cells[draft_id].append({"item": code, "axis": axis, "value": value})
    plans = list(
        Plan.objects.filter(owner=user)
        .select_related("check_record")
        .prefetch_related("steps")
        .order_by("created_at")
    )
    plan_teams: dict[int, list[str]] = defaultdict(list)
    for share in PlanShare.objects.filter(plan__owner=user).select_related("team__municipality__prefecture"):
        plan_teams[share.plan_id].append(team_label(share.team))
    shares = list(
        CheckShare.objects.filter(owner=user).select_related(
            "team__municipality__prefecture", "organisation", "check_record"
        )
    )
    memberships = list(Membership.objects.filter(user=user).select_related("organisation"))
    seats = list(
        TeamMember.objects.filter(user=user).select_related("team__municipality__prefecture", "affiliation")
    )
    cohort_seats = list(Participant.objects.filter(user=user).select_related("cohort__organisation"))
    hand_ins: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for submission in Submission.objects.filter(participant__user=user).select_related("check_record"):
        hand_ins[submission.participant_id].append(
            {
                "phase": submission.phase,
                "check": str(submission.check_record.public_id),
                "handed_in_at": _iso(submission.submitted_at),
            }
        )
    log = list(AccessLog.objects.filter(subject=user).select_related("check_record").order_by("at"))
    return {
        "exported_at": _iso(timezone.now()),
        "profile": {
            "login_id": user.username,
            "display_name": user.display_name,
            "furigana": user.furigana,
            "roles": list(user.roles),
            "role_names": _role_names(list(user.roles)),
            "joined_at": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "checks": [
            {
                "id": str(check.public_id),
                "submitted_at": _iso(check.submitted_at),
                "fiscal_year": check.fiscal_year,
                "framework": {"slug": check.framework.slug, "version": check.framework.version},
                "entered_from_paper_by": check.entered_by_name or None,
                "answers": sorted(answers[check.pk], key=lambda a: a["item"]),
            }
            for check in checks
        ],
        "drafts": [
            {
                "id": str(draft.public_id),
                "started_at": _iso(draft.created_at),
                "framework": {"slug": draft.framework.slug, "version": draft.framework.version},
                "cells": sorted(cells[draft.pk], key=lambda c: (c["item"], c["axis"])),
            }
            for draft in drafts
        ],
        "plans": [
            {
                "id": str(plan.public_id),
                "from_check": str(plan.check_record.public_id),
                "created_at": _iso(plan.created_at),
                "reflection": plan.reflection,
                "shared_with_teams": plan_teams[plan.pk],
                "steps": [
                    {"item": s.item_code, "action": s.action, "due_on": _iso(s.due_on), "status": s.status}
                    for s in plan.steps.all()
                ],
            }
            for plan in plans
        ],
        "shares": [
            {
                "with": team_label(share.team) if share.team else share.organisation.name,  # type: ignore[union-attr]
                "kind": "team" if share.team_id else "organisation",
                "check": str(share.check_record.public_id) if share.check_record else "latest",
            }
            for share in shares
        ],
        "organisations": [
            {"name": m.organisation.name, "role": m.role, "in_pool": m.in_pool} for m in memberships
        ],
        "teams": [
            {
                "team": team_label(seat.team),
                "fiscal_year": seat.team.fiscal_year,
                "roles": list(seat.roles),
                "is_lead": seat.is_lead,
                "affiliation": seat.affiliation.name if seat.affiliation else None,
                "joined_at": _iso(seat.joined_at),
            }
            for seat in seats
        ],
        "cohorts": [
            {
                "name": p.cohort.name,
                "organisation": p.cohort.organisation.name,
                "fiscal_year": p.cohort.fiscal_year,
                "joined_at": _iso(p.joined_at),
                "hand_ins": hand_ins[p.pk],
            }
            for p in cohort_seats
        ],
        "access_log": [
            {
                "at": _iso(entry.at),
                "viewer": entry.viewer_name,
                "team": entry.team_label,
                "what": entry.what,
                "check": str(entry.check_record.public_id) if entry.check_record else None,
            }
            for entry in log
        ],
    }


def _team_detail(team: dict[str, Any]) -> str:
    roles = "、".join(_role_names(team["roles"]))
    lead = "／リーダー" if team["is_lead"] else ""
    return f"{format_fiscal_year(team['fiscal_year'])}／役割：{roles}{lead}"


def workbook(user: User, data: dict[str, Any]) -> Workbook:
    """The same data as sheets: 回答 (long format), 次の一歩, 共有と所属, 閲覧の記録, コード表, メタデータ."""
    versions = {v.version: v for v in FrameworkVersion.objects.filter(checks__owner=user).distinct()}
    records: dict[str, list[CheckRecord]] = defaultdict(list)
    for check in data["checks"]:
        records[check["framework"]["version"]].append(
            CheckRecord(
                person=user.username,
                check_id=check["id"],
                submitted_at=datetime.datetime.fromisoformat(check["submitted_at"]),
                fiscal_year=check["fiscal_year"],
                framework_version=check["framework"]["version"],
                answers={
                    a["item"]: Answer(understanding=a["understanding"], practice=a["practice"])
                    for a in check["answers"]
                },
            )
        )
    tz = timezone.get_current_timezone()
    answer_rows: list[tuple[Any, ...]] = []
    answer_columns = None
    for version, checks in records.items():
        table = answers_table(framework_of(versions[version]), checks, tz)
        answer_rows.extend(table.rows)
        answer_columns = table.columns
    framework = framework_of(current_version())
    if answer_columns is None:
        answer_columns = answers_table(framework, [], tz).columns
    steps = Table(
        "次の一歩",
        (
            Column("plan", "計画ID"),
            Column("from_check", "元のチェックID"),
            Column("item", "項目コード"),
            Column("action", "次の一歩"),
            Column("due_on", "期限"),
            Column("status", "状況コード"),
            Column("reflection", "振り返り"),
        ),
        tuple(
            (
                plan["id"],
                plan["from_check"],
                s["item"],
                s["action"],
                s["due_on"],
                s["status"],
                plan["reflection"],
            )
            for plan in data["plans"]
            for s in plan["steps"]
        ),
    )
    belonging = Table(
        "共有と所属",
        (Column("kind", "種類"), Column("name", "相手"), Column("detail", "内容")),
        tuple(
            [
                ("組織", o["name"], f"役割：{o['role']}／人材プール：{'あり' if o['in_pool'] else 'なし'}")
                for o in data["organisations"]
            ]
            + [
                (
                    "支援チーム",
                    t["team"],
                    _team_detail(t),
                )
                for t in data["teams"]
            ]
            + [
                ("研修", c["name"], f"{c['organisation']}／提出：{len(c['hand_ins'])}件")
                for c in data["cohorts"]
            ]
            + [
                (
                    "チェックの共有",
                    s["with"],
                    "常に最新" if s["check"] == "latest" else f"チェックID {s['check']}",
                )
                for s in data["shares"]
            ]
        ),
    )
    log = Table(
        "閲覧の記録",
        (
            Column("at", "日時"),
            Column("viewer", "見た人"),
            Column("team", "チーム"),
            Column("what", "見たもの"),
        ),
        tuple((e["at"], e["viewer"], e["team"], e["what"]) for e in data["access_log"]),
    )
    profile = data["profile"]
    meta = standard_metadata(
        framework,
        exported_at=timezone.localtime(),
        subject=f"{profile['display_name']}（ログインID：{profile['login_id']}）がこのアプリケーションに預けているデータのすべて",
        rules=["本人だけが出力できます。"],
    )
    years = {c["fiscal_year"] for c in data["checks"]}
    return Workbook(
        (
            Table("回答", answer_columns, tuple(answer_rows)),
            steps,
            belonging,
            log,
            code_table(
                framework, years, [("状況コード", code, str(label)) for code, label in Status.choices]
            ),
            metadata_table(meta),
        )
    )
