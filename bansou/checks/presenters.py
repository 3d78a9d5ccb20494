"""What the sheet and result templates show, built from domain values (no decisions in templates)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bansou.checks import forms, queries
from bansou.checks.charts import radar, short_name
from bansou.checks.models import Check, Draft, DraftCell
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.framework import Axis, Framework, Item, Section, Sheet
from bansou.domain.scoring import (
    PowerSummary,
    Quadrant,
    answers_from_rows,
    change_since,
    power_summaries,
    progress,
)
from bansou.frameworks.queries import framework_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class CellView:
    axis: Axis
    legend: str
    name: str
    base_name: str
    base_value: str
    value: int | None
    revision: int
    conflict: bool


@dataclass(frozen=True)
class RowView:
    item: Item
    cells: tuple[CellView, ...]
    missing: bool
    power_name: str  # shown where a section has no column headings (the derived sheet)
    step: Any = None  # 次の一歩 for this item from the person's latest plan, if any (bansou.plans)

    @property
    def anchor(self) -> str:
        return f"item-{self.item.code}"


@dataclass(frozen=True)
class SectionView:
    title: str
    element_number: int | None
    headings: tuple[str, ...]
    rows: tuple[RowView, ...]


@dataclass(frozen=True)
class MissingView:
    """One unanswered item in the sheet's error list: named with its element (marks repeat per element)."""

    code: str
    label: str

    @property
    def anchor(self) -> str:
        return f"item-{self.code}"


def section_label(section: Section) -> str:
    """「2 関係性を整え、チームを前に進める力」, or the title alone where a section is no element."""
    return f"{section.element} {section.title}" if section.element is not None else section.title


def missing_views(framework: Framework, missing: tuple[str, ...]) -> list[MissingView]:
    """The unanswered items in sheet order, each as 「element：①item」."""
    codes = set(missing)
    return [
        MissingView(code=item.code, label=f"{section_label(section)}：{item.mark}{item.name}")
        for sheet in framework.sheets
        for section in sheet.sections
        for item in section.items
        if item.code in codes
    ]


@dataclass(frozen=True)
class SheetView:
    sheet: Sheet
    sections: tuple[SectionView, ...]
    answered: int
    total: int


def sheet_context(
    draft: Draft,
    cells: list[DraftCell],
    *,
    conflicts: set[tuple[str, str]],
    missing: tuple[str, ...],
    plan_steps: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    framework = framework_of(draft.framework)
    by_key = {(c.item_code, c.axis): c for c in cells}
    answers = answers_from_rows((c.item_code, c.axis, c.value) for c in cells)
    counts = {p.sheet.code: p for p in progress(framework, answers)}
    sheets = tuple(
        SheetView(
            sheet=sheet,
            sections=tuple(
                SectionView(
                    title=section.title,
                    element_number=section.element,
                    headings=section.headings,
                    rows=tuple(
                        _row(framework, item, by_key, conflicts, missing, (plan_steps or {}).get(item.code))
                        for item in section.items
                    ),
                )
                for section in sheet.sections
            ),
            answered=counts[sheet.code].answered,
            total=counts[sheet.code].total,
        )
        for sheet in framework.sheets
    )
    return {
        "autosave_messages": autosave_messages(),
        "draft": draft,
        "framework": framework,
        "sheets": sheets,
        "scale": framework.scale.levels,
        "missing_items": missing_views(framework, missing),
        "item_total": sum(counts[sheet.code].total for sheet in framework.sheets),
        "conflict_count": len(conflicts),
    }


def autosave_messages() -> dict[str, str]:
    """What the sheet's script says, translated here (the script has no catalogue of its own)."""
    return {
        "saving": _("保存中…"),
        "saved": _("保存しました（%(time)s）"),
        "resending": _("前回送信できなかった回答を送信しています…"),
        "cell_conflict": _(
            "別の画面で先に変更されていたため、この変更は保存していません。新しい回答を表示しています。"
        ),
        "conflicts": _(
            "一部の回答は、別の画面で先に変更されていたため保存していません。印の付いた項目を確認してください。"
        ),
        "offline": _("オフラインです。回答はこの端末に一時保存し、接続が戻ったら送信します。"),
        "network": _("接続できません。回答はこの端末に一時保存し、接続が戻ったら送信します。"),
        "login_expired": _(
            "ログインの有効期限が切れました。回答はこの端末に一時保存しています。"
            "別のタブでログインし直すと、自動で保存します。"
        ),
        "visitor_expired": _(
            "セッションの有効期限が切れたため、これ以上は保存できません。"
            "トップページからもう一度始めてください。"
        ),
        "submitted": _("このチェックはすでに提出されています。結果のページに移ります。"),
        "gone": _("この回答中のチェックは見つかりません。トップページの「続きから」から開き直してください。"),
        "forbidden": _(
            "保存できませんでした。ページを再読み込みしてください（回答はこの端末に一時保存しています）。"
        ),
        "failed": _("保存できませんでした。しばらくしてから自動でもう一度送信します。"),
        "failed_once": _(
            "一部の回答を保存できませんでした。ページを再読み込みして、もう一度選んでください。"
        ),
        "all_answered": _("すべての項目に回答しました。「提出する」から、確認のうえ提出できます。"),
    }


def _row(
    framework: Framework,
    item: Item,
    by_key: dict[tuple[str, str], DraftCell],
    conflicts: set[tuple[str, str]],
    missing: tuple[str, ...],
    step: Any = None,
) -> RowView:
    cells = []
    for axis in Axis:
        cell = by_key.get((item.code, axis.value))
        value, revision = (cell.value, cell.revision) if cell else (None, 0)
        cells.append(
            CellView(
                axis=axis,
                legend=framework.axis_text(axis).question,
                name=forms.field_name(item.code, axis),
                base_name=forms.base_name(item.code, axis),
                base_value=forms.base_value(value, revision),
                value=value,
                revision=revision,
                conflict=(item.code, axis.value) in conflicts,
            )
        )
    power = framework.power(item.power)
    return RowView(
        item=item,
        cells=tuple(cells),
        missing=item.code in missing,
        power_name=f"{power.number} {power.name}",
        step=step,
    )


QUADRANTS: tuple[tuple[Quadrant, StrOrPromise, StrOrPromise], ...] = (
    (
        Quadrant.STRENGTH,
        gettext_lazy("強み"),
        gettext_lazy("理解も実践もできている項目です。チームの中で、あなたが力を発揮できるところです。"),
    ),
    (
        Quadrant.PUT_INTO_PRACTICE,
        gettext_lazy("実践につなげる"),
        gettext_lazy("理解はできている項目です。チームの仲間と一緒に、実践の機会をつくっていきましょう。"),
    ),
    (
        Quadrant.PUT_INTO_WORDS,
        gettext_lazy("言葉にする"),
        gettext_lazy(
            "実践はできている項目です。なぜそうしているのかを言葉と理論で整理し、"
            "チームで共有できる形にしましょう。"
        ),
    ),
    (
        Quadrant.START_HERE,
        gettext_lazy("ここから始める"),
        gettext_lazy("理解も実践もこれからの項目です。まずは知ることから、一つずつ始めましょう。"),
    ),
)


def _power(framework: Framework, summary: PowerSummary) -> dict[str, Any]:
    """One 力 as the result's summary tells it: its elements (short names), its shares, and where most
    of its items are in the 2×2."""
    titles = {q: str(title) for q, title, _text in QUADRANTS}
    largest = [titles[q] for q in summary.largest]
    most = summary.quadrants[summary.largest[0]] if summary.largest else 0
    if len(largest) == 1:
        sentence = _("いちばん多いのは「%(where)s」の項目です（%(n)d項目）。") % {
            "where": largest[0],
            "n": most,
        }
    elif largest:
        where = "と".join(f"「{title}」" for title in largest)
        sentence = _("いちばん多いのは%(where)sの項目です（各%(n)d項目）。") % {"where": where, "n": most}
    else:
        sentence = ""
    return {
        "summary": summary,
        "elements": [f"{n} {short_name(framework.element(n).name)}" for n in summary.elements],
        "largest": sentence,
        "quadrants": [
            {"title": titles[q], "count": summary.quadrants.get(q, 0)} for q, _title, _text in QUADRANTS
        ],
    }


def result_context(check: Check) -> dict[str, Any]:
    """Everything the result page shows. Queries: answers, previous check, its answers."""
    framework, result = queries.result_of(check)
    previous = queries.previous_check(check)
    previous_result = queries.result_of(previous)[1] if previous else None
    previous_when = (
        dateformat.format(timezone.localtime(previous.submitted_at), "Y年n月j日") if previous else ""
    )
    changes = change_since(result, previous_result)
    rows = [
        {
            "score": element,
            "power": framework.power(element.power),
            "change": changes[element.number],
        }
        for element in result.elements
    ]
    quadrants = [
        {"code": q.value, "title": title, "text": text, "items": result.in_quadrant(q)}
        for q, title, text in QUADRANTS
    ]
    return {
        "check": check,
        "framework": framework,
        "fiscal_year": format_fiscal_year(check.fiscal_year),
        "result": result,
        "rows": rows,
        "tiers": [
            {
                "tier": tier,
                "understanding": result.of_tier(tier.code, Axis.UNDERSTANDING),
                "practice": result.of_tier(tier.code, Axis.PRACTICE),
            }
            for tier in framework.tiers
        ],
        "radar": radar(result, previous_result, previous_when),
        "powers": [_power(framework, summary) for summary in power_summaries(framework, result)],
        "quadrants": quadrants,
        "previous": previous,
        "focus": result.in_quadrant(Quadrant.PUT_INTO_PRACTICE),
        "overall_understanding": result.overall(Axis.UNDERSTANDING),
        "overall_practice": result.overall(Axis.PRACTICE),
    }
