"""The blank workbooks: protected, so that only the answer cells can be edited.

``blank_personal`` (optionally with a draft's answers written in) and ``blank_cohort`` (a row per
participant). Every fixed cell is written as text, never as a formula, and the reader checks each of them.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bansou.domain.framework import Axis, Framework
from bansou.domain.reports import Table, code_table, metadata_table
from bansou.reports.fillin.layout import (
    AXES,
    CODE_SHEET,
    COHORT_SHEET,
    FORMAT_ID,
    KEY_COHORT,
    KEY_COHORT_NAME,
    KEY_COUNT,
    KEY_FORMAT,
    KEY_KIND,
    KEY_PARTICIPANT,
    KEY_SLUG,
    KEY_VERSION,
    KIND_COHORT,
    KIND_PERSONAL,
    PERSONAL_SHEET,
    Layout,
    Position,
    axis_labels,
    choices_text,
    cohort_layout,
    coordinate,
    labels_of,
    personal_layout,
)

HEADER_FONT = Font(bold=True)
ANSWER_FILL = PatternFill(fill_type="solid", fgColor="FFF2CC")
UNLOCKED = Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
CENTRE = Alignment(horizontal="center", vertical="top")


def blank_personal(
    framework: Framework, *, answers: Mapping[str, tuple[int | None, int | None]] | None = None
) -> bytes:
    """The personal fill-in workbook; ``answers`` (a draft) are written in as level labels."""
    layout = personal_layout(framework)
    prefilled = _prefilled(framework, layout, answers or {})
    book = _new_book()
    sheet = book.create_sheet(PERSONAL_SHEET)
    _write_grid(sheet, layout, framework, prefilled)
    for col, width in enumerate((12, 14, 36, 70, 12, 12), start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    for row in range(2, layout.rows + 1):
        for col in (3, 4):
            sheet.cell(row=row, column=col).alignment = WRAP
    sheet.freeze_panes = "A2"
    _write_table(book, code_table(framework), (16, 16, 60))
    _write_table(book, metadata_table(_metadata_entries(framework, KIND_PERSONAL)), (20, 80))
    return _save(book)


def blank_cohort(
    framework: Framework, *, cohort_id: str, cohort_name: str, participants: Sequence[tuple[str, str]]
) -> bytes:
    """The cohort fill-in workbook: one row per (participant code, display name), in the given order."""
    codes = [code for code, _ in participants]
    if len(set(codes)) != len(codes) or any(not code.strip() for code in codes):
        raise ValueError("participant codes must be non-empty and distinct")
    layout = cohort_layout(framework, codes)
    book = _new_book()
    sheet = book.create_sheet(COHORT_SHEET)
    _write_grid(sheet, layout, framework, {})
    for row, (_, name) in enumerate(participants, start=2):
        _put_text(sheet.cell(row=row, column=2), name)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 18
    for col in range(3, layout.cols + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 11
    for col in range(1, layout.cols + 1):
        sheet.cell(row=1, column=col).alignment = WRAP
    sheet.freeze_panes = "C2"
    entries = _metadata_entries(framework, KIND_COHORT, cohort=(cohort_id, cohort_name), codes=codes)
    _write_table(book, code_table(framework), (16, 16, 60))
    _write_table(book, metadata_table(entries), (20, 80))
    return _save(book)


def _prefilled(
    framework: Framework, layout: Layout, answers: Mapping[str, tuple[int | None, int | None]]
) -> dict[Position, str]:
    unknown = set(answers) - set(framework.item_codes())
    if unknown:
        raise ValueError(f"answers for items not in the framework: {sorted(unknown)}")
    labels: dict[Position, str] = {}
    for position, slot in layout.slots.items():
        value = answers.get(slot.code, (None, None))[AXES.index(slot.axis)]
        if value is not None:
            if value not in framework.scale.values():
                raise ValueError(f"{value!r} is not on the scale (item {slot.code})")
            labels[position] = framework.scale.label_of(value)
    return labels


def _new_book() -> Workbook:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]  # a new workbook always has one sheet
    book.properties.creator = "bansou"
    # Sheets cannot be added, renamed or deleted; no password, this guards against slips, not people.
    book.security = WorkbookProtection(lockStructure=True)
    return book


def _put_text(cell: Cell | MergedCell, text: str) -> None:
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.data_type = "s"  # never a formula, whatever the text starts with
    cell.number_format = "@"


def _write_grid(
    sheet: Worksheet, layout: Layout, framework: Framework, prefilled: Mapping[Position, str]
) -> None:
    for (row, col), text in layout.fixed.items():
        cell = sheet.cell(row=row, column=col)
        if text:
            _put_text(cell, text)
        cell.alignment = TOP
        if row == 1:
            cell.font = HEADER_FONT
    for row, col in layout.slots:
        cell = sheet.cell(row=row, column=col)
        cell.protection = UNLOCKED
        cell.fill = ANSWER_FILL
        cell.alignment = CENTRE
        cell.number_format = "@"
        if (row, col) in prefilled:
            _put_text(cell, prefilled[(row, col)])
    if layout.slots:
        validation = _validation(framework)
        validation.add(_slot_range(layout))
        sheet.add_data_validation(validation)
    _protect(sheet)


def _slot_range(layout: Layout) -> str:
    rows = [row for row, _ in layout.slots]
    cols = [col for _, col in layout.slots]
    return f"{coordinate((min(rows), min(cols)))}:{coordinate((max(rows), max(cols)))}"


def _validation(framework: Framework) -> DataValidation:
    """A drop-down of the level labels; inline when Excel allows it, else the labels in the コード表."""
    scale = framework.scale
    labels = labels_of(scale)
    inline = ",".join(labels)
    if len(inline) <= 250 and not any("," in label or '"' in label for label in labels):
        source = f'"{inline}"'
    else:
        rows = [i for i, row in enumerate(code_table(framework).rows, start=2) if row[0] == "回答コード"]
        source = f"'{CODE_SHEET}'!$C${min(rows)}:$C${max(rows)}"
    choices = choices_text(scale)
    return DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="入力できない値です",
        error=f"{choices}を選んでください。",
        showInputMessage=True,
        promptTitle="回答",
        prompt=f"{choices}を選んでください。空欄は未回答です。",
    )


def _protect(sheet: Worksheet) -> None:
    sheet.protection.sheet = True  # no password: unlocked answer cells are the only ones to type in
    sheet.protection.formatColumns = False  # widening a column is harmless and often needed


def _write_table(book: Workbook, table: Table, widths: Sequence[int]) -> None:
    sheet = book.create_sheet(table.name)
    for col, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=1, column=col)
        _put_text(cell, column.title)
        cell.font = HEADER_FONT
    for row, values in enumerate(table.rows, start=2):
        for col, (column, value) in enumerate(zip(table.columns, values, strict=True), start=1):
            cell = sheet.cell(row=row, column=col)
            if value is None:
                continue
            if column.text or not isinstance(value, int):
                _put_text(cell, str(value))
            else:
                cell.value = value
            cell.alignment = WRAP
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A2"
    _protect(sheet)


def _metadata_entries(
    framework: Framework, kind: str, *, cohort: tuple[str, str] | None = None, codes: Sequence[str] = ()
) -> list[tuple[str, str]]:
    entries = [
        ("内容", _subject(framework, kind)),
        (KEY_FORMAT, FORMAT_ID),
        (KEY_KIND, kind),
        (KEY_SLUG, framework.slug),
        ("フレームワーク", framework.title),
        (KEY_VERSION, framework.version),
    ]
    if cohort is not None:
        entries += [(KEY_COHORT, cohort[0]), (KEY_COHORT_NAME, cohort[1]), (KEY_COUNT, str(len(codes)))]
    entries += [("記入方法", _how_to_fill_in(framework, kind)), ("出典", framework.source or framework.title)]
    entries += [(KEY_PARTICIPANT, code) for code in codes]  # the rows of the 入力 sheet, in order
    return entries


def _subject(framework: Framework, kind: str) -> str:
    if kind == KIND_PERSONAL:
        return f"{framework.title} セルフチェックの記入用シート（個人）"
    return f"{framework.title} セルフチェックの記入用シート（研修の参加者全員分）"


def _how_to_fill_in(framework: Framework, kind: str) -> str:
    labels = axis_labels(framework)
    u, p = labels[Axis.UNDERSTANDING], labels[Axis.PRACTICE]
    choices = choices_text(framework.scale)
    if kind == KIND_PERSONAL:
        return (
            f"シート「{PERSONAL_SHEET}」の「{u}」「{p}」の列に{choices}を入力してください（一覧から選べます）。"
            "空欄は未回答として扱います。他のセルは変更しないでください。"
        )
    return (
        f"シート「{COHORT_SHEET}」は参加者ごとに1行です。"
        f"「（項目コード） {u}」「（項目コード） {p}」の列に"
        f"{choices}を入力してください（一覧から選べます）。"
        "回答する参加者の行は、すべての項目を入力してください。"
        "回答しない参加者の行は空欄のままにしてください。"
        "他のセルは変更しないでください（氏名は直してもかまいません）。"
    )


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
