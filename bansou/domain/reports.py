"""Report models: tables and workbooks built from domain values, before any file format.

The renderers (``bansou.reports.render``) turn a ``Workbook`` into xlsx or a ``Table`` into CSV. The
tables follow the machine-readability rules Japanese administrations publish data by (デジタル庁
「データ整備に関するルール」, 総務省「統計表における機械判読可能なデータの表記方法の統一ルール」):
one value per cell, a header in the first row and nothing above it, no merged cells or blank rows
for layout, codes written as text (leading zeros kept), dates as ISO 8601, notes and sources in a
separate メタデータ sheet, and every code explained in a コード表 sheet.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bansou.domain.aggregates import Totals
from bansou.domain.coverage import Standing, labels_of
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.framework import Axis, Framework
from bansou.domain.scoring import Answer

Cell = str | int | None


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    text: bool = True  # written as text (codes, names); False: a number


@dataclass(frozen=True)
class Table:
    name: str  # the sheet name (at most 31 characters, none of []:*?/\)
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class Workbook:
    tables: tuple[Table, ...]


AXIS_CODES = {Axis.UNDERSTANDING: "understanding", Axis.PRACTICE: "practice"}
AXIS_TITLES = {Axis.UNDERSTANDING: "理解", Axis.PRACTICE: "実践"}


@dataclass(frozen=True)
class CheckRecord:
    """One submitted check as a report needs it: who (an id or an anonymous id), when, answers."""

    person: str
    check_id: str
    submitted_at: datetime.datetime  # aware; written in JST by the caller's choice of tz
    fiscal_year: int
    framework_version: str
    answers: Mapping[str, Answer]


ANSWER_COLUMNS = (
    Column("person", "回答者ID"),
    Column("check_id", "チェックID"),
    Column("submitted_at", "提出日時"),
    Column("fiscal_year", "年度", text=False),
    Column("framework_version", "フレームワークの版"),
    Column("element", "エレメント番号", text=False),
    Column("element_name", "エレメント名"),
    Column("item", "項目コード"),
    Column("item_name", "項目名"),
    Column("axis", "軸コード"),
    Column("axis_name", "軸"),
    Column("value", "回答コード"),
    Column("answer", "回答"),
)


def answers_table(framework: Framework, checks: Iterable[CheckRecord], tz: datetime.tzinfo) -> Table:
    """回答: the long format, one row per check × item × axis, in sheet order.

    Each code has its words beside it (the element's and the item's names, the axis, the answer),
    so that the file reads on its own; the codes stay for sorting and for other systems.
    """
    rows: list[tuple[Cell, ...]] = []
    for check in checks:
        when = check.submitted_at.astimezone(tz).isoformat(timespec="seconds")
        for item in framework.items():
            answer = check.answers.get(item.code)
            for axis in Axis:
                value = answer.on(axis) if answer else None
                rows.append(
                    (
                        check.person,
                        check.check_id,
                        when,
                        check.fiscal_year,
                        check.framework_version,
                        item.element,
                        None if item.element is None else framework.element(item.element).name,
                        item.code,
                        item.name,
                        AXIS_CODES[axis],
                        AXIS_TITLES[axis],
                        None if value is None else str(value),
                        None if value is None else framework.scale.label_of(value),
                    )
                )
    return Table("回答", ANSWER_COLUMNS, tuple(rows))


@dataclass(frozen=True)
class MapRow:
    """One member of a team as the map shows them: nothing but a name when they have not shared.

    ``standings`` per element (number), ``labels`` per C label (code), from the check they shared."""

    name: str
    roles: str
    shared: bool
    standings: Mapping[int, Standing]
    labels: Mapping[str, Standing] = field(default_factory=dict)


MAP_COLUMNS = (
    Column("member", "メンバー"),
    Column("roles", "役割"),
    Column("shared", "共有コード"),
    Column("unit", "単位コード"),
    Column("element", "エレメント番号", text=False),
    Column("element_name", "エレメント名"),
    Column("label", "C の力コード"),
    Column("label_name", "C の力"),
    Column("understood_items", "理解○の項目数", text=False),
    Column("practised_items", "実践○の項目数", text=False),
    Column("items", "項目数", text=False),
    Column("quadrant", "位置コード"),
)

# 単位コード of the map's rows: an element of the first map, or a C label of the second.
MAP_UNITS = (("element", "エレメント"), ("label", "C の力（チーム全体で備えるべき力）"))


def _figures(standing: Standing | None) -> tuple[Cell, ...]:
    if standing is None:
        return (None, None, None, None)
    return (
        standing.understanding.count,
        standing.practice.count,
        standing.practice.total,
        standing.quadrant.value,
    )


def team_map_table(framework: Framework, members: Sequence[MapRow]) -> Table:
    """チームマップ: per member, a row per element, then a row per C label of the leaflet's table (the
    page's two maps, in its words); a member who has not shared has empty figures."""
    rows: list[tuple[Cell, ...]] = []
    for member in members:
        who = (member.name, member.roles, "shared" if member.shared else "not_shared")
        for element in framework.elements:
            standing = member.standings.get(element.number) if member.shared else None
            rows.append((*who, "element", element.number, element.name, None, None, *_figures(standing)))
        for label in labels_of(framework):
            standing = member.labels.get(label.code) if member.shared else None
            element_name = None if label.element is None else framework.element(label.element).name
            rows.append(
                (*who, "label", label.element, element_name, label.code, label.name, *_figures(standing))
            )
    return Table("チームマップ", MAP_COLUMNS, tuple(rows))


@dataclass(frozen=True)
class TotalsColumn:
    """One disclosed set of totals (事前, 事後, ...): ``totals`` is None when it is withheld."""

    code: str
    title: str
    totals: Totals | None


TOTALS_COLUMNS = (
    Column("column", "集計コード"),
    Column("people", "人数", text=False),
    Column("unit", "単位コード"),
    Column("code", "エレメント番号または項目コード"),
    Column("understood", "理解している人数", text=False),
    Column("practised", "実践している人数", text=False),
)


def totals_table(framework: Framework, columns: Sequence[TotalsColumn]) -> Table:
    """集計: per shown column, one row per element and per item with the people counted.

    Only figures over the column's whole group are written (a row over fewer people would be a
    smaller group than the one the five-person rule allowed); withheld columns have no rows.
    """
    rows: list[tuple[Cell, ...]] = []
    for column in columns:
        totals = column.totals
        if totals is None:
            continue
        for element in framework.elements:
            count = totals.elements.get(element.number)
            if count is not None and count.people == totals.people:
                rows.append(
                    (
                        column.code,
                        totals.people,
                        "element",
                        str(element.number),
                        count.understanding.count,
                        count.practice.count,
                    )
                )
        for item in framework.items():
            item_count = totals.items.get(item.code)
            if item_count is not None and item_count.people == totals.people:
                rows.append(
                    (
                        column.code,
                        totals.people,
                        "item",
                        item.code,
                        item_count.understood,
                        item_count.practised,
                    )
                )
    return Table("集計", TOTALS_COLUMNS, tuple(rows))


def code_table(
    framework: Framework, fiscal_years: Iterable[int] = (), extra: Iterable[tuple[str, str, str]] = ()
) -> Table:
    """コード表: what every code in the other sheets means (``extra``: (kind, code, meaning) rows)."""
    rows: list[tuple[Cell, ...]] = []
    for axis in Axis:
        question = framework.axis_text(axis).question
        rows.append(("軸コード", AXIS_CODES[axis], f"{AXIS_TITLES[axis]}：{question}"))
    for level in framework.scale.levels:
        rows.append(("回答コード", str(level.value), level.label))
    for element in framework.elements:
        rows.append(("エレメント番号", str(element.number), element.name))
    for item in framework.items():
        rows.append(("項目コード", item.code, item.name))
    for year in sorted(set(fiscal_years)):
        rows.append(("年度", str(year), format_fiscal_year(year)))
    rows.extend(extra)
    columns = (Column("kind", "コードの種類"), Column("code", "コード"), Column("meaning", "意味"))
    return Table("コード表", columns, tuple(rows))


def metadata_table(entries: Sequence[tuple[str, str]]) -> Table:
    """メタデータ: what the file is, when it was made, from what, under which rules."""
    columns = (Column("key", "項目"), Column("value", "内容"))
    return Table("メタデータ", columns, tuple((k, v) for k, v in entries))


def standard_metadata(
    framework: Framework, *, exported_at: datetime.datetime, subject: str, rules: Sequence[str] = ()
) -> list[tuple[str, str]]:
    entries = [
        ("内容", subject),
        ("フレームワーク", framework.title),
        ("フレームワークの版", framework.version),
        ("出力日時（日本時間）", exported_at.isoformat(timespec="seconds")),
        ("出典", framework.source or framework.title),
        (
            "形式",
            "1行目が見出し。回答シートは1行に1つの回答（チェック×項目×軸）。コードの意味はコード表シートにあります。",
        ),
    ]
    entries.extend(("適用したルール", rule) for rule in rules)
    return entries


def unencodable(text: str, encoding: str) -> list[str]:
    """The distinct characters of ``text`` that ``encoding`` cannot write, in order of appearance."""
    found: list[str] = []
    for ch in text:
        if ch in found:
            continue
        try:
            ch.encode(encoding)
        except UnicodeEncodeError:
            found.append(ch)
    return found
