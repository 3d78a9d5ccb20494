"""What team pages show: the map, the tier rules in words, gaps, 担当, the dialogue sheet."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from bansou.checks.presenters import QUADRANTS
from bansou.domain.coverage import (
    Assessment,
    BasicsRule,
    ElementRule,
    Label,
    Profile,
    Rule,
    Verdict,
    assess,
    labels_of,
)
from bansou.domain.dialogue import dialogue
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.framework import Framework
from bansou.domain.roles import ROLES
from bansou.domain.verdict_consent import StaffView, staff_basics_gap, staff_gaps, staff_view
from bansou.teams import companions, queries
from bansou.teams.models import Team, TeamMember

ROLE_LABELS = dict(ROLES)
QUADRANT_TITLES = {q: title for q, title, _text in QUADRANTS}


def verdict_label(verdict: Verdict) -> str:
    return {
        Verdict.MET: _("○ 満たしている"),
        Verdict.NOT_MET: _("× 不足"),
        Verdict.UNKNOWN: _("？ 判定できない"),
    }[verdict]


def team_label(team: Team) -> str:
    return team.label


def roles_label(roles: list[str]) -> str:
    return "・".join(str(ROLE_LABELS.get(code, code)) for code in roles) or _("（未設定）")


# The roles as the team map shows them, on one short line (the legend under the map explains them).
ROLE_SHORT = {
    "core_promoter": _lazy("中核"),
    "coordinator": _lazy("調整"),
    "advisor": _lazy("助言"),
    "prefecture_staff": _lazy("都道府県"),
    "municipal_staff": _lazy("市町村"),
    "other": _lazy("その他"),
}


def roles_short(roles: list[str]) -> str:
    ordered = [code for code, _name in ROLES if code in roles] + [c for c in roles if c not in ROLE_SHORT]
    short = (str(ROLE_SHORT.get(code, ROLE_LABELS.get(code, code))) for code in ordered)
    return "・".join(short) or _("（未設定）")


def role_key() -> str:
    """The legend of the short roles: 中核（中核推進役）、…"""
    return "、".join(f"{ROLE_SHORT[code]}（{name}）" for code, name in ROLES if code in ROLE_SHORT)


class Namer:
    """Names the members a reason is about (for members of the team, who see the map anyway)."""

    def __init__(self, members: list[TeamMember]) -> None:
        self.names = {str(m.pk): str(m.user) for m in members}

    def __call__(self, keys: tuple[str, ...]) -> str:
        return "、".join(self.names[k] for k in keys)


def staff_reason(verdict: Verdict) -> str:
    """What organisation staff read: the verdict's meaning, with no names and no counts of people.

    PRODUCT.md: staff see aggregates, and nothing over fewer than five people; a team is usually smaller.
    """
    return {
        Verdict.MET: _("目安を満たしています。"),
        Verdict.NOT_MET: _("目安を満たしていません。"),
        Verdict.UNKNOWN: _("チェックを共有していないメンバーがいるため、判定できません。"),
    }[verdict]


def element_reason(rule: Rule, name: str, who: Namer) -> str:
    """Why a B rule (an element) or a C rule (a label) has its verdict, with names for members."""
    verdict = rule.verdict
    if isinstance(rule, ElementRule):
        if not rule.considered:
            return _("チームに中核推進役・調整役がいません。")
        if verdict is Verdict.MET:
            return _("中核推進役・調整役のうち %(who)s が実践できています。") % {"who": who(rule.holders)}
        if verdict is Verdict.NOT_MET:
            return _("中核推進役・調整役のうち、%(element)sを実践できている人がいません。") % {
                "element": name
            }
        return _("中核推進役・調整役のうち %(n)d人 がチェックを共有していないため、判定できません。") % {
            "n": len(rule.not_shared)
        }
    counted = {"k": len(rule.holders), "needed": rule.needed}
    if verdict is Verdict.MET:
        return _("%(who)s が実践できています（目安 %(needed)d人）。") % {
            "who": who(rule.holders),
            "needed": rule.needed,
        }
    if verdict is Verdict.NOT_MET:
        return _("実践できているメンバーは %(k)d人 です（目安 %(needed)d人）。") % counted
    return _(
        "実践できているメンバーは %(k)d人 です（目安 %(needed)d人）。"
        "チェックを共有していないメンバーが %(n)d人 いるため、判定できません。"
    ) % {**counted, "n": len(rule.not_shared)}


def basics_reason(rule: BasicsRule, who: Namer) -> str:
    if rule.verdict is Verdict.MET:
        return _("全員が、基礎知識・基礎スキルのすべての項目を理解しています。")
    if rule.verdict is Verdict.NOT_MET:
        return _("基礎知識・基礎スキルに、まだ理解していない項目があるメンバー：%(who)s") % {
            "who": who(rule.lacking)
        }
    return _("チェックを共有していないメンバーが %(n)d人 いるため、判定できません。") % {
        "n": len(rule.not_shared)
    }


def gap_sentence(rule: Rule, name: str, *, counts: bool = True) -> str:
    """A gap in the words of the rules table: a B element the core roles lack, or a C label the team
    lacks (``counts``: how many practise it, for members; not for staff)."""
    if isinstance(rule, ElementRule):
        return _("%(element)sを実践できている中核推進役・調整役がいません") % {"element": name}
    if not rule.holders:
        return _("チーム全体で「%(label)s」を実践できているメンバーがいません") % {"label": name}
    if not counts:
        return _("チーム全体で「%(label)s」を実践できているメンバーが、目安の %(needed)d人 に足りません") % {
            "label": name,
            "needed": rule.needed,
        }
    return _(
        "チーム全体で「%(label)s」を実践できているメンバーが %(k)d人 で、目安の %(needed)d人 に足りません"
    ) % {
        "label": name,
        "k": len(rule.holders),
        "needed": rule.needed,
    }


def basics_gap_sentence(rule: BasicsRule, who: Namer | None) -> str:
    """The A shortfall in the gaps list, in the words of the rules table's A row (names for members)."""
    if who is None:
        return _("基礎知識・基礎スキルに、まだ理解していない項目があるメンバーがいます")
    return _("基礎知識・基礎スキルに、まだ理解していない項目があるメンバーがいます（%(who)s）") % {
        "who": who(rule.lacking)
    }


def team_context(team: Team, framework: Framework, *, show_members: bool) -> dict[str, Any]:
    """The team page: rules, gaps, 担当, and (for members) the map. Queries: members, shares (3), 担当;
    for staff (not ``show_members``) one more, the members' consent to showing them the verdicts."""
    members = queries.members_of(team)
    shared = queries.shared_checks(team)
    profiles = queries.profiles(members, shared)
    assessment: Assessment = assess(framework, profiles, needed=team.needed)
    assigned = queries.assignments_of(team)
    consenting = None if show_members else queries.verdict_consents(team, members)
    return {
        "team": team,
        "label": team_label(team),
        "fiscal_year": format_fiscal_year(team.fiscal_year),
        "framework": framework,
        "members": members,
        "rows": _map_rows(framework, members, profiles, shared),
        "labels": [label_column(label) for label in labels_of(framework)],
        **_rules(framework, assessment, Namer(members), consenting=consenting),
        "assignments": _assignments(framework, members, assigned),
        "role_key": role_key(),
        "not_shared": sum(1 for p in profiles if not p.shared) if show_members else 0,  # no counts for staff
    }


def _map_rows(
    framework: Framework,
    members: list[TeamMember],
    profiles: list[Profile],
    shared: Mapping[int, queries.SharedCheck],
) -> list[dict[str, Any]]:
    """The map: a row per member, a cell per element (empty where the member shares nothing)."""
    rows = []
    for member, profile in zip(members, profiles, strict=True):
        cells = []
        for element in framework.elements:
            standing = (profile.standings or {}).get(element.number) if profile.shared else None
            cells.append(
                {
                    "element": element,
                    "standing": standing,
                    "quadrant": QUADRANT_TITLES[standing.quadrant] if standing else "",
                }
            )
        label_cells = []
        for label in labels_of(framework):
            standing = (profile.labels or {}).get(label.code) if profile.shared else None
            label_cells.append({"label": label, "standing": standing})
        rows.append(
            {
                "member": member,
                "roles": roles_label(member.roles),
                "roles_short": roles_short(member.roles),
                "cells": cells,
                "label_cells": label_cells,
                "basics": profile.basics,
                "shared": shared.get(member.user_id),
            }
        )
    return rows


def label_column(label: Label) -> dict[str, Any]:
    """A C label as the second map's column: its number in the table (C1…C9, the legend gives the
    words) and, for a label that is an element, the element's number."""
    return {"label": label, "short": label.code.replace("-", ""), "element": label.element}


def hidden_row(rule: Rule | BasicsRule, name: str = "") -> dict[str, Any]:
    """A verdict staff may not read (``domain.verdict_consent``): neither it, nor whether it is a gap."""
    return {
        "rule": rule,
        "name": name,
        "css": "hidden",
        "verdict": _("（非表示：個人の状況が分かるため）"),
        "reason": _("この判定にかかわるメンバー全員が、組織の職員に示すことに同意したときに表示されます。"),
    }


def _rules(
    framework: Framework, assessment: Assessment, who: Namer, *, consenting: Collection[str] | None
) -> dict[str, Any]:
    """The tier rules, the basics and the gaps in words: with names for members (``consenting`` None);
    for staff without names, and only the verdicts every member they are about consented to."""
    names = {e.number: e.name for e in framework.elements}
    view = None if consenting is None else staff_view(assessment, consenting)

    def rule_row(rule: Rule) -> dict[str, Any]:
        name = rule_name(rule, names)
        if view is not None and not view.shows(rule):
            return hidden_row(rule, name)
        reason = element_reason(rule, name, who) if view is None else staff_reason(rule.verdict)
        return {
            "rule": rule,
            "name": name,
            "css": rule.verdict.value,
            "verdict": verdict_label(rule.verdict),
            "reason": reason,
        }

    basics = assessment.basics
    basics_row = None
    if basics is not None:
        basics_row = {
            "rule": basics,
            "css": basics.verdict.value,
            "verdict": verdict_label(basics.verdict),
            "reason": basics_reason(basics, who) if view is None else staff_reason(basics.verdict),
        }
        if view is not None and not view.basics_shown:
            basics_row = hidden_row(basics)
    return {
        "b_rules": [rule_row(r) for r in assessment.b_rules],
        "c_rules": [rule_row(r) for r in assessment.c_rules],
        "basics": basics_row,
        **_gaps(assessment, names, who if view is None else None, view),
        "hidden_verdicts": view.hidden if view is not None else 0,
    }


def rule_name(rule: Rule, elements: Mapping[int, str]) -> str:
    """A B rule's element name, or a C rule's label, in the leaflet's words."""
    return elements[rule.element] if isinstance(rule, ElementRule) else rule.name


def pool_query(gaps: tuple[Rule, ...]) -> str:
    """The pool search for the gaps: the B gaps' elements and the C gaps' labels."""
    wanted = [f"elements={r.element}" if isinstance(r, ElementRule) else f"labels={r.code}" for r in gaps]
    return "&".join(wanted)


def _gaps(
    assessment: Assessment, names: Mapping[int, str], who: Namer | None, view: StaffView | None
) -> dict[str, Any]:
    """「不足しているところ」: every rule of the table that says × 不足 (the B elements', the C labels'
    and the basics'), in the table's words; for staff (``view``), only those of the verdicts shown,
    without names."""
    gaps = assessment.gaps if view is None else staff_gaps(assessment, view)
    basics_gap = assessment.basics_gap if view is None else staff_basics_gap(assessment, view)
    return {
        "gaps": [
            {"rule": r, "sentence": gap_sentence(r, rule_name(r, names), counts=view is None)} for r in gaps
        ],
        "pool_query": pool_query(gaps),
        "basics_gap": basics_gap_sentence(basics_gap, who) if basics_gap else "",
    }


def _assignments(
    framework: Framework, members: list[TeamMember], assigned: Mapping[int, list[int]]
) -> list[dict[str, Any]]:
    """担当: for each element, the members assigned to it (of those still in the team)."""
    by_key = {str(m.pk): m for m in members}
    return [
        {
            "element": element,
            "members": [by_key[str(pk)] for pk in assigned.get(element.number, []) if str(pk) in by_key],
        }
        for element in framework.elements
    ]


def dialogue_context(team: Team, framework: Framework) -> tuple[dict[str, Any], list[tuple[int, int]]]:
    """The dialogue sheet, and the (user, check) pairs whose item-level answers it was built from."""
    members = queries.members_of(team)
    shared = queries.shared_checks(team)
    results = {str(m.pk): shared[m.user_id].result for m in members if m.user_id in shared}
    talk = dialogue(framework, results)
    strengths = [
        {"member": m, "items": talk.strengths.get(str(m.pk), ()), "shared": m.user_id in shared}
        for m in members
    ]
    seen = [(m.user_id, shared[m.user_id].check.pk) for m in members if m.user_id in shared]
    return (
        {
            "team": team,
            "label": team_label(team),
            "fiscal_year": format_fiscal_year(team.fiscal_year),
            "framework": framework,
            "nobody": [t for t in talk.items if t.reason.value == "nobody_practises"],
            "diverge": [t for t in talk.items if t.reason.value == "diverge"],
            "strengths": strengths,
            "shared_count": len(results),
            "member_count": len(members),
            "extras": _extras(team, members),
        },
        seen,
    )


def _extras(team: Team, members: list[TeamMember]) -> list[dict[str, Any]]:
    """What members chose to bring to the sheet from higher rooms (``teams.companions``), per member
    in the sheet's order; only current members are asked about."""
    asked = companions.SheetMembers(team.pk, tuple(m.user_id for m in members))
    return [
        {
            "heading": extra.heading,
            "note": extra.note,
            "members": [
                {"member": m, "rows": extra.rows[m.user_id]} for m in members if extra.rows.get(m.user_id)
            ],
        }
        for extra in companions.extras_for(asked)
    ]
