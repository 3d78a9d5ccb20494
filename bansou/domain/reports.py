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
from dataclasses import dataclass

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
    Column("item", "項目コード"),
    Column("axis", "軸コード"),
    Column("value", "回答コード"),
)


def answers_table(framework: Framework, checks: Iterable[CheckRecord], tz: datetime.tzinfo) -> Table:
    """回答: the long format, one row per check × item × axis, in sheet order."""
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
                        item.code,
                        AXIS_CODES[axis],
                        None if value is None else str(value),
                    )
                )
    return Table("回答", ANSWER_COLUMNS, tuple(rows))


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
