"""A plan's gaps and its table as files (xlsx, CSV): rows of their own (``presenters`` made them for
the page too), with the code table and the metadata of every bansou export."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.framework import Framework
from bansou.domain.planning import Reason
from bansou.domain.reports import Column, Table, Workbook, code_table, metadata_table, standard_metadata
from bansou.placements import words
from bansou.teams.rule_words import Rules

GAPS_FILE = "bansou-placement-gaps"
PLAN_FILE = "bansou-placement-plan"

GAP_COLUMNS = (
    Column("tier", "区分"),
    Column("rule", "力コード"),
    Column("rule_name", "力"),
    Column("missing", "計画した市町村全体の不足数", text=False),
    Column("places", "満たせない市町村の数", text=False),
    Column("reason", "理由コード"),
    Column("reason_name", "理由"),
)
GAP_PLACE_COLUMNS = (
    Column("tier", "区分"),
    Column("rule", "力コード"),
    Column("rule_name", "力"),
    Column("lgcode", "団体コード"),
    Column("municipality", "市町村"),
    Column("reason", "理由コード"),
)
PLAN_COLUMNS = (
    Column("lgcode", "団体コード"),
    Column("municipality", "市町村"),
    Column("team", "今のチーム"),
    Column("person", "氏名"),
    Column("role", "役割コード"),
    Column("kept", "今のメンバーが残るか（1：残る）", text=False),
    Column("unmet", "チームの満たせない項目の数", text=False),
)


def gaps_table(rows: list[dict[str, Any]]) -> Table:
    """One row per rule unmet across the planned 市町村."""
    return Table(
        "不足（計画全体）",
        GAP_COLUMNS,
        tuple(
            (r["tier"], r["rule"], r["name"], r["missing"], len(r["places"]), r["reason_code"], r["reason"])
            for r in rows
        ),
    )


def gap_places_table(rows: list[dict[str, Any]]) -> Table:
    """One row per rule × 市町村 it stays unmet in."""
    return Table(
        "不足の市町村",
        GAP_PLACE_COLUMNS,
        tuple(
            (r["tier"], r["rule"], r["name"], code, place, r["reason_code"])
            for r in rows
            for code, place in r["places"]
        ),
    )


def plan_table(rows: list[dict[str, Any]]) -> Table:
    """One row per 市町村 × person placed."""
    return Table(
        "配置計画",
        PLAN_COLUMNS,
        tuple(
            (
                r["lgcode"],
                r["place"],
                r["team"].label if r["team"] else "",
                p["name"],
                "core" if p["core"] else "member",
                int(p["kept"]),
                r["unmet"],
            )
            for r in rows
            for p in r["people"]
        ),
    )


def _codes(framework: Framework, fiscal_year: int) -> Table:
    extra = [
        ("区分", "A", _("基礎知識・基礎スキル")),
        ("区分", "B", _("中核推進役/調整役が特に備えるべき力")),
    ]
    extra += [("区分", "C", _("チーム全体で備えるべき力"))]
    extra += [("役割コード", "core", _("中核推進役・調整役")), ("役割コード", "member", _("メンバー"))]
    rules = Rules.of(framework)
    extra += [("理由コード", r.value, words.reason(rules, r, rule=_("その力"))) for r in Reason]
    return code_table(framework, [fiscal_year], extra=extra)


def workbook(framework: Framework, fiscal_year: int, main: tuple[Table, ...], subject: str) -> Workbook:
    meta = standard_metadata(
        framework,
        exported_at=timezone.localtime(),
        subject=_("%(year)s の配置計画：%(what)s")
        % {"year": format_fiscal_year(fiscal_year), "what": subject},
        rules=[
            _(
                "人材プールの人が組織に共有しているチェックの、力ごとのまとめとプロフィールから計画しています。"
            ),
            _("不足の一覧は、アドバイザー等の確保や研修の企画に使えます。人を評価するものではありません。"),
        ],
    )
    return Workbook((*main, _codes(framework, fiscal_year), metadata_table(meta)))
