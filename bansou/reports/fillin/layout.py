"""The workbook format: its names and keys, and the grid that the writer writes and the reader checks,
from one description."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bansou.domain.framework import Axis, Framework, Scale

FORMAT_ID = "bansou-fillin-1"

PERSONAL_SHEET = "チェックシート"
COHORT_SHEET = "入力"
CODE_SHEET = "コード表"
META_SHEET = "メタデータ"
KIND_PERSONAL = "個人"
KIND_COHORT = "研修"

KEY_FORMAT = "様式"
KEY_KIND = "種類"
KEY_SLUG = "フレームワークID"
KEY_VERSION = "フレームワークの版"
KEY_COHORT = "研修ID"
KEY_COHORT_NAME = "研修名"
KEY_COUNT = "参加者数"
KEY_PARTICIPANT = "参加者番号"  # the participant's number in the 研修
# Workbooks made before participants were numbered within their 研修 listed their site-wide ids under
# this key: the same number may now be someone else's, so such a file is refused, never read.
KEY_OLD_PARTICIPANT = "参加者コード"

AXES = (Axis.UNDERSTANDING, Axis.PRACTICE)

Position = tuple[int, int]  # (row, column), 1-based as in Excel


@dataclass(frozen=True)
class Slot:
    code: str
    axis: Axis


@dataclass(frozen=True)
class Layout:
    """The answer sheet: its size, the text of every fixed cell, and which cell answers what."""

    sheet: str
    rows: int
    cols: int
    fixed: dict[Position, str]  # cells that must keep what was written ("" for an empty cell)
    slots: dict[Position, Slot]  # answer cells; cells in neither dict (氏名) are free


def axis_labels(framework: Framework) -> dict[Axis, str]:
    return {axis: framework.axis_text(axis).label for axis in AXES}


def personal_layout(framework: Framework) -> Layout:
    labels = axis_labels(framework)
    header = (
        "項目コード",
        "エレメント番号",
        "項目",
        "説明",
        labels[Axis.UNDERSTANDING],
        labels[Axis.PRACTICE],
    )
    fixed = {(1, col): title for col, title in enumerate(header, start=1)}
    slots: dict[Position, Slot] = {}
    row = 1
    for row, item in enumerate(framework.items(), start=2):
        fixed[(row, 1)] = item.code
        fixed[(row, 2)] = "" if item.element is None else str(item.element)
        fixed[(row, 3)] = item.mark + item.name
        fixed[(row, 4)] = item.description
        slots[(row, 5)] = Slot(item.code, Axis.UNDERSTANDING)
        slots[(row, 6)] = Slot(item.code, Axis.PRACTICE)
    return Layout(PERSONAL_SHEET, row, len(header), fixed, slots)


def cohort_layout(framework: Framework, codes: Sequence[str]) -> Layout:
    labels = axis_labels(framework)
    answer_columns = [Slot(code, axis) for code in framework.item_codes() for axis in AXES]
    header = [KEY_PARTICIPANT, "氏名"] + [f"{slot.code} {labels[slot.axis]}" for slot in answer_columns]
    fixed = {(1, col): title for col, title in enumerate(header, start=1)}
    slots: dict[Position, Slot] = {}
    for row, code in enumerate(codes, start=2):
        fixed[(row, 1)] = code
        for col, slot in enumerate(answer_columns, start=3):
            slots[(row, col)] = slot
    return Layout(COHORT_SHEET, len(codes) + 1, len(header), fixed, slots)


def coordinate(position: Position) -> str:
    """Like "F12"; unlike openpyxl's get_column_letter, for any column a hostile file may claim."""
    row, col = position
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row}"


def labels_of(scale: Scale) -> tuple[str, ...]:
    """The scale's labels, positive first, as the drop-down and the messages list them."""
    return tuple(level.label for level in sorted(scale.levels, key=lambda level: -level.value))


def choices_text(scale: Scale) -> str:
    """The labels as a sentence says them, positive first: 「はい」か「いいえ」."""
    return choices_phrase(labels_of(scale))


def choices_phrase(labels: Sequence[str]) -> str:
    """「はい」か「いいえ」 for two labels, 「a」「b」「c」のいずれか for more: the workbook's own wording,
    which the pages about it and the messages about its cells repeat."""
    quoted = [f"「{label}」" for label in labels]
    if len(quoted) == 2:
        return "か".join(quoted)
    return "".join(quoted) + "のいずれか"
