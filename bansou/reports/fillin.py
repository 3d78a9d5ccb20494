"""Offline fill-in: a self-check as an xlsx to fill in without the site, and a parser that trusts none of it.

The writer makes a protected workbook in which only the answer cells can be edited. The parser reads an
upload back all-or-nothing: it collects every problem it finds and raises ``FillInError``, or returns the
whole result. The upload is hostile until checked: the zip is read with bounded reads and repacked (XML
parts only) before openpyxl sees it, active content and DTDs are refused, anything openpyxl raises becomes
a ``FillInError``, and every cell the writer wrote must still say what it said.

Plain Python and openpyxl, no Django: the views call ``peek_version`` to pick the framework, then
``read_personal`` or ``read_cohort``.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from xml.etree import ElementTree

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bansou.domain.framework import Axis, Framework, Scale
from bansou.domain.reports import Table, code_table, metadata_table

FORMAT_ID = "bansou-fillin-1"
PERSONAL_LIMIT = 2 * 1024 * 1024  # bytes of the uploaded file
COHORT_LIMIT = 10 * 1024 * 1024
UNPACKED_LIMIT = 40 * 1024 * 1024  # total decompressed bytes allowed inside the zip

MAX_ENTRIES = 500
MAX_RATIO = 200  # a member this much larger than its compressed size ...
RATIO_FLOOR = 1024 * 1024  # ... and larger than this is a bomb
MAX_PROBLEMS = 50
BLANKS_PER_ROW = 5  # blank cells named one by one in an incomplete cohort row, then a count
EXTRA_ROWS = 1000  # rows read past the grid before giving up on a sheet
EXTRA_CELLS = 10000  # non-empty cells kept beyond the grid's own before giving up on a sheet
META_ROWS = 20000
MAX_COLUMNS = 16384  # Excel's last column, XFD
# Cell elements allowed in any one XML part, counted before openpyxl parses it: openpyxl builds a row's
# cells all at once, so one row of millions of cells would cost seconds and a gigabyte.
PERSONAL_CELLS = 20000
SPARE_PARTICIPANTS = 100  # rows for people who left the cohort after the download
PEEK_CELLS = 300000
CHUNK = 64 * 1024

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
KEY_PARTICIPANT = "参加者コード"

AXES = (Axis.UNDERSTANDING, Axis.PRACTICE)
POSITIVE_SYMBOLS = frozenset("○◯")
NEGATIVE_SYMBOLS = frozenset("×✕")

# Messages -------------------------------------------------------------------------------------------

AGAIN = (
    "ダウンロードした記入用シートに入力し、"
    "「Excel ブック（*.xlsx）」の形式で保存したファイルを選んでください。"
)
TOO_LARGE = "ファイルが大きすぎます（上限 {mb} MB）。"
EMPTY = "ファイルが空です。" + AGAIN
NOT_XLSX = "xlsx 形式のファイルではありません。" + AGAIN
OLD_XLS = (
    "古い Excel 形式（.xls）のファイルか、パスワードで保護されたファイルです。"
    "パスワードを外し、「Excel ブック（*.xlsx）」の形式で保存し直してから選んでください。"
)
UNREADABLE = (
    "ファイルを読み取れませんでした。ファイルが壊れているか、xlsx 形式ではない可能性があります。" + AGAIN
)
BAD_NAME = "ファイルを読み取れませんでした（中に不正な名前のファイルがあります）。" + AGAIN
BOMB = "圧縮を展開すると大きくなりすぎるファイルです。" + AGAIN
ENCRYPTED = "暗号化されたファイルは読み取れません。パスワードを外して保存し直してから選んでください。"
MACRO = "マクロや外部リンクを含むファイルは受け付けません。" + AGAIN
MISSING_SHEET = (
    "シート「{name}」がありません。"
    "ダウンロードした記入用シートのシートを削除したり名前を変えたりしないでください。"
)
NOT_OURS = (
    "このサイトの記入用シートではありません。このサイトからダウンロードした記入用シートに入力してください。"
)
WRONG_KIND = {
    KIND_PERSONAL: (
        "研修用（参加者全員分）の記入用シートです。個人のチェックには、個人用の記入用シートを使ってください。"
    ),
    KIND_COHORT: (
        "個人用の記入用シートです。研修の参加者全員分を入力するには、研修用の記入用シートを使ってください。"
    ),
}
OTHER_VERSION = (
    "このファイルは別の版（版：{found}）のチェックシートです。"
    "いまのチェックシートは版：{expected} です。版：{expected} のシートをダウンロードし直してください。"
)
META_EDITED = "シート「メタデータ」が変更されています。記入用シートをダウンロードし直してください。"
OTHER_COHORT = "別の研修のファイルです。この研修のページから記入用シートをダウンロードし直してください。"
FORMULA = "数式は使えません。値を入力してください。"
CHANGED = "このセルは変更できません（元の値：「{expected}」）。"
MOVED = "行を削除・挿入したり並べ替えたりしないでください。"
OUTSIDE = "表の外のセルには入力できません（入力値：「{value}」）。"
OVERFLOW = "{rows} 行目より下にも行があります。表の外には何も入力しないでください。"
TOO_MANY_CELLS = "表の外に入力されたセルが多すぎます。表の外には何も入力しないでください。"
TOO_MANY_ELEMENTS = "セルの数が多すぎるファイルです。" + AGAIN
BAD_VALUE = "{choices}を入力してください（入力値：「{value}」）。"
BLANK = "回答が空欄です。回答する参加者の行は、すべての項目の「{u}」と「{p}」を入力してください。"
MORE_BLANKS = "{row} 行目には、ほかにも空欄が {count} 個あります。"
UNKNOWN_PARTICIPANT = "参加者コード「{code}」の人は、この研修の参加者ではありません。"
DUPLICATE = "参加者コード「{code}」が重複しています（セル {first} と同じです）。"
NO_ANSWERS = "回答が1つも入力されていません。"
LEFT_OUT = "ほかに {count} 件の問題があります（最初の {kept} 件だけを表示しています）。"


# Results and errors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an upload, where it is (a sheet and a cell, when there is one) and what to do."""

    sheet: str | None  # sheet name, or None for the file as a whole
    cell: str | None  # like "F12", or None
    message: str  # Japanese, a full sentence

    def __str__(self) -> str:
        if self.sheet is None:
            return self.message
        where = f"シート「{self.sheet}」" + (f"のセル {self.cell}" if self.cell else "")
        return f"{where}：{self.message}"


class FillInError(Exception):
    """An upload that cannot be used; ``problems`` says why (at most ``MAX_PROBLEMS``, then a count)."""

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem]) -> None:
        found = list(problems) or [Problem(None, None, UNREADABLE)]
        kept = found[:MAX_PROBLEMS]
        if len(found) > MAX_PROBLEMS:
            left = len(found) - MAX_PROBLEMS
            kept.append(Problem(None, None, LEFT_OUT.format(count=left, kept=MAX_PROBLEMS)))
        self.problems = tuple(kept)
        super().__init__("\n".join(str(p) for p in self.problems))


def _refuse(message: str) -> FillInError:
    return FillInError([Problem(None, None, message)])


@dataclass(frozen=True)
class PersonalSheet:
    framework_slug: str
    framework_version: str
    answers: dict[str, tuple[int | None, int | None]]  # item code -> (understanding, practice); non-empty


@dataclass(frozen=True)
class CohortRow:
    participant: str  # the participant code as written in the file
    row: int  # the Excel row number, for messages
    answers: dict[str, tuple[int, int]]  # complete: every item, both axes


@dataclass(frozen=True)
class CohortSheet:
    framework_slug: str
    framework_version: str
    cohort: str  # the cohort id written in the file
    rows: tuple[CohortRow, ...]  # rows with answers; blank participant rows are skipped


# The grid: what the writer writes and the parser checks, from one description --------------------------

Position = tuple[int, int]  # (row, column), 1-based as in Excel


@dataclass(frozen=True)
class _Slot:
    code: str
    axis: Axis


@dataclass(frozen=True)
class _Layout:
    """The answer sheet: its size, the text of every fixed cell, and which cell answers what."""

    sheet: str
    rows: int
    cols: int
    fixed: dict[Position, str]  # cells that must keep what was written ("" for an empty cell)
    slots: dict[Position, _Slot]  # answer cells; cells in neither dict (氏名) are free


def _axis_labels(framework: Framework) -> dict[Axis, str]:
    return {axis: framework.axis_text(axis).label for axis in AXES}


def _personal_layout(framework: Framework) -> _Layout:
    labels = _axis_labels(framework)
    header = (
        "項目コード",
        "エレメント番号",
        "項目",
        "説明",
        labels[Axis.UNDERSTANDING],
        labels[Axis.PRACTICE],
    )
    fixed = {(1, col): title for col, title in enumerate(header, start=1)}
    slots: dict[Position, _Slot] = {}
    row = 1
    for row, item in enumerate(framework.items(), start=2):
        fixed[(row, 1)] = item.code
        fixed[(row, 2)] = "" if item.element is None else str(item.element)
        fixed[(row, 3)] = item.mark + item.name
        fixed[(row, 4)] = item.description
        slots[(row, 5)] = _Slot(item.code, Axis.UNDERSTANDING)
        slots[(row, 6)] = _Slot(item.code, Axis.PRACTICE)
    return _Layout(PERSONAL_SHEET, row, len(header), fixed, slots)


def _cohort_layout(framework: Framework, codes: Sequence[str]) -> _Layout:
    labels = _axis_labels(framework)
    answer_columns = [_Slot(code, axis) for code in framework.item_codes() for axis in AXES]
    header = ["参加者コード", "氏名"] + [f"{slot.code} {labels[slot.axis]}" for slot in answer_columns]
    fixed = {(1, col): title for col, title in enumerate(header, start=1)}
    slots: dict[Position, _Slot] = {}
    for row, code in enumerate(codes, start=2):
        fixed[(row, 1)] = code
        for col, slot in enumerate(answer_columns, start=3):
            slots[(row, col)] = slot
    return _Layout(COHORT_SHEET, len(codes) + 1, len(header), fixed, slots)


def _coordinate(position: Position) -> str:
    """Like "F12"; unlike openpyxl's get_column_letter, for any column a hostile file may claim."""
    row, col = position
    letters = ""
    while col > 0:
        col, rest = divmod(col - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row}"


def choices_text(scale: Scale) -> str:
    """The labels as a sentence says them, positive first: 「はい」か「いいえ」."""
    labels = [f"「{level.label}」" for level in sorted(scale.levels, key=lambda level: -level.value)]
    if len(labels) == 2:
        return "か".join(labels)
    return "".join(labels) + "のいずれか"


# Writing --------------------------------------------------------------------------------------------

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
    layout = _personal_layout(framework)
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
    layout = _cohort_layout(framework, codes)
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
    framework: Framework, layout: _Layout, answers: Mapping[str, tuple[int | None, int | None]]
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
    sheet: Worksheet, layout: _Layout, framework: Framework, prefilled: Mapping[Position, str]
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


def _slot_range(layout: _Layout) -> str:
    rows = [row for row, _ in layout.slots]
    cols = [col for _, col in layout.slots]
    return f"{_coordinate((min(rows), min(cols)))}:{_coordinate((max(rows), max(cols)))}"


def _validation(framework: Framework) -> DataValidation:
    """A drop-down of the level labels; inline when Excel allows it, else the labels in the コード表."""
    scale = framework.scale
    labels = [level.label for level in sorted(scale.levels, key=lambda level: -level.value)]
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
    labels = _axis_labels(framework)
    u, p = labels[Axis.UNDERSTANDING], labels[Axis.PRACTICE]
    choices = choices_text(framework.scale)
    if kind == KIND_PERSONAL:
        subject = f"{framework.title} セルフチェックの記入用シート（個人）"
        how = (
            f"シート「{PERSONAL_SHEET}」の「{u}」「{p}」の列に{choices}を入力してください（一覧から選べます）。"
            "空欄は未回答として扱います。他のセルは変更しないでください。"
        )
    else:
        subject = f"{framework.title} セルフチェックの記入用シート（研修の参加者全員分）"
        how = (
            f"シート「{COHORT_SHEET}」は参加者ごとに1行です。"
            f"「（項目コード） {u}」「（項目コード） {p}」の列に"
            f"{choices}を入力してください（一覧から選べます）。"
            "回答する参加者の行は、すべての項目を入力してください。"
            "回答しない参加者の行は空欄のままにしてください。"
            "他のセルは変更しないでください（氏名は直してもかまいません）。"
        )
    entries = [
        ("内容", subject),
        (KEY_FORMAT, FORMAT_ID),
        (KEY_KIND, kind),
        (KEY_SLUG, framework.slug),
        ("フレームワーク", framework.title),
        (KEY_VERSION, framework.version),
    ]
    if cohort is not None:
        entries += [(KEY_COHORT, cohort[0]), (KEY_COHORT_NAME, cohort[1]), (KEY_COUNT, str(len(codes)))]
    entries += [("記入方法", how), ("出典", framework.source or framework.title)]
    entries += [(KEY_PARTICIPANT, code) for code in codes]  # the rows of the 入力 sheet, in order
    return entries


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Reading: the entry points ------------------------------------------------------------------------------


def peek_version(data: bytes) -> tuple[str, str]:
    """(framework slug, version) from the メタデータ sheet, to pick the framework to validate against.

    Accepts files up to ``COHORT_LIMIT``; read_personal then applies its own, smaller limit."""
    with _opened(data, COHORT_LIMIT, PEEK_CELLS) as book:
        meta = _read_metadata(book)
    if _single(meta, KEY_FORMAT) != FORMAT_ID:
        raise _refuse(NOT_OURS)
    slug, version = _single(meta, KEY_SLUG), _single(meta, KEY_VERSION)
    if not slug or not version:
        raise _refuse(META_EDITED)
    return slug, version


def read_personal(data: bytes, framework: Framework) -> PersonalSheet:
    """The answers of a filled-in personal workbook (partial answers allowed), or ``FillInError``."""
    layout = _personal_layout(framework)
    with _opened(data, PERSONAL_LIMIT, PERSONAL_CELLS) as book:
        _check_metadata(_read_metadata(book), framework, KIND_PERSONAL)
        sheet = book.grid(layout)
    grid = _check_grid(sheet, layout, framework.scale)
    answers = _personal_answers(framework, layout, grid.values)
    problems = grid.problems
    if not problems and not answers:
        problems = [Problem(None, None, NO_ANSWERS)]
    if problems:
        raise FillInError(problems)
    return PersonalSheet(framework.slug, framework.version, answers)


def read_cohort(
    data: bytes, framework: Framework, *, cohort_id: str, participants: Collection[str]
) -> CohortSheet:
    """The complete rows of a filled-in cohort workbook (blank rows skipped), or ``FillInError``."""
    width = 2 + 2 * len(framework.item_codes())
    max_cells = (len(participants) + SPARE_PARTICIPANTS) * width + PERSONAL_CELLS
    with _opened(data, COHORT_LIMIT, max_cells) as book:
        meta = _read_metadata(book)
        _check_metadata(meta, framework, KIND_COHORT)
        if _single(meta, KEY_COHORT) != cohort_id:
            raise _refuse(OTHER_COHORT)
        layout = _cohort_layout(framework, _listed_participants(meta))
        sheet = book.grid(layout)
    grid = _check_grid(sheet, layout, framework.scale)
    problems = grid.problems + _check_participants(layout, set(participants), grid.filled)
    rows, incomplete = _cohort_rows(framework, layout, grid)
    problems += incomplete
    if not problems and not rows:
        problems = [Problem(None, None, NO_ANSWERS)]
    if problems:
        raise FillInError(_in_order(problems))
    return CohortSheet(framework.slug, framework.version, cohort_id, tuple(rows))


# Reading: the archive -------------------------------------------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls, and also what Excel makes of a password-protected .xlsx
ZIP_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"
_DECLARED_ENCODING = re.compile(rb"<\?xml[^>]*?\sencoding\s*=\s*[\"']([^\"']*)[\"']")
_MARKUP_DECLARATION = re.compile(rb"<!(?!--|\[CDATA\[)")  # DOCTYPE, ENTITY ...: never in OOXML
_ACTIVE_PARTS = (
    "vbaproject",
    "activex",
    "xl/embeddings/",
    "xl/externallinks/",
    "xl/macrosheets/",
    "xl/dialogsheets/",
)
_ACTIVE_TYPES = (b"macroenabled", b"vbaproject", b"activex", b"externallink", b"macrosheet", b"oleobject")
_EPOCH = (1980, 1, 1, 0, 0, 0)


def _unpack(data: bytes, limit: int, max_cells: int) -> bytes:
    """The upload checked as an xlsx and repacked, XML parts only, from bounded reads."""
    if len(data) > limit:
        raise _refuse(TOO_LARGE.format(mb=limit // (1024 * 1024)))
    if not data:
        raise _refuse(EMPTY)
    if data.startswith(OLE_MAGIC):
        raise _refuse(OLD_XLS)
    if not data.startswith(ZIP_MAGIC):
        raise _refuse(NOT_XLSX)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # a truncated or mangled zip fails in many ways
        raise _refuse(UNREADABLE) from exc
    with archive:
        members = _read_members(archive, _check_entries(archive.infolist()))
    _check_members(members, max_cells)
    return _repack(members)


def _check_entries(infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """Refuse before decompressing anything; return the file entries to read."""
    if len(infos) > MAX_ENTRIES:
        raise _refuse(BOMB)
    names = [info.filename for info in infos]
    if any(_unsafe_name(name) for name in names):
        raise _refuse(BAD_NAME)
    if len(set(names)) != len(names):  # which of two parts would a reader take?
        raise _refuse(UNREADABLE)
    if any(info.flag_bits & 0x1 for info in infos):
        raise _refuse(ENCRYPTED)
    if any(_active_part(name) for name in names):
        raise _refuse(MACRO)
    files = [info for info in infos if not info.is_dir()]
    if any(info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for info in files):
        raise _refuse(UNREADABLE)  # Excel only deflates; other methods are only attack surface
    return files


def _unsafe_name(name: str) -> bool:
    if not name or "\x00" in name or name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return True
    return ".." in re.split(r"[/\\]", name)


def _active_part(name: str) -> bool:
    lower = name.lower()
    if any(part in lower for part in _ACTIVE_PARTS):
        return True
    # Excel writes the printer's settings as a .bin; inert, and dropped in the repack.
    return lower.endswith(".bin") and not lower.startswith("xl/printersettings/")


def _read_members(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> dict[str, bytes]:
    members: dict[str, bytes] = {}
    total = 0
    for info in infos:
        body = _bounded_read(archive, info, UNPACKED_LIMIT - total)
        total += len(body)
        members[info.filename] = body
    return members


def _bounded_read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """A member's bytes, never more than ``budget``: the sizes in the headers are the file's claim."""
    chunks: list[bytes] = []
    size = 0
    compressed = max(info.compress_size, 1)
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > budget or (size > RATIO_FLOOR and size > MAX_RATIO * compressed):
                    raise _refuse(BOMB)
                chunks.append(chunk)
    except FillInError:
        raise
    except Exception as exc:  # bad CRC, bad deflate stream, header mismatch, truncation ...
        raise _refuse(UNREADABLE) from exc
    return b"".join(chunks)


def _check_members(members: Mapping[str, bytes], max_cells: int) -> None:
    types = members.get("[Content_Types].xml")
    if types is None or "xl/workbook.xml" not in members:
        raise _refuse(NOT_XLSX)
    if any(marker in types.lower() for marker in _ACTIVE_TYPES):
        raise _refuse(MACRO)
    if not all(_plain_xml(body) for name, body in members.items() if _is_xml(name)):
        raise _refuse(UNREADABLE)
    if any(_too_many_cells(body, max_cells) for name, body in members.items() if _is_xml(name)):
        raise _refuse(TOO_MANY_ELEMENTS)
    if any(_links_out(body) for name, body in members.items() if name.lower().endswith(".rels")):
        raise _refuse(MACRO)


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))


def _plain_xml(body: bytes) -> bool:
    """UTF-8 XML without a DTD: so no entity expansion, and no other encoding to hide one in."""
    body = body.removeprefix(UTF8_BOM)
    head = body[:200].lstrip()
    if not head.startswith(b"<"):
        return False
    declared = _DECLARED_ENCODING.match(head)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        return False
    return _MARKUP_DECLARATION.search(body) is None


_CELL_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:c|row)[\s/>]")  # with any namespace prefix
TAGS_PER_CELL = 8  # <c><is><t>…</t></is></c> is six; anything else in a part counts against this too


def _too_many_cells(body: bytes, limit: int) -> bool:
    """Whether a part has more cells and rows than ``limit``, or more tags than such cells would need."""
    if body.count(b"<") > TAGS_PER_CELL * limit:
        return True
    return any(count > limit for count, _ in enumerate(_CELL_ELEMENT.finditer(body), start=1))


def _links_out(rels: bytes) -> bool:
    """Whether a relationships part points outside the file, other than a hyperlink in a cell."""
    try:
        root = ElementTree.fromstring(rels)  # safe here: _plain_xml refused any DTD
    except ElementTree.ParseError as exc:
        raise _refuse(UNREADABLE) from exc
    for element in root.iter():
        if element.tag.rpartition("}")[2] != "Relationship":
            continue
        if element.get("TargetMode", "").lower() == "external" and not element.get("Type", "").endswith(
            "/hyperlink"
        ):
            return True
    return False


def _repack(members: Mapping[str, bytes]) -> bytes:
    """A fresh zip of the XML parts, so openpyxl never reads the uploaded archive itself."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, body in members.items():
            if _is_xml(name):
                archive.writestr(zipfile.ZipInfo(name, date_time=_EPOCH), body)
    return out.getvalue()


# Reading: openpyxl, fenced in -------------------------------------------------------------------------

T = TypeVar("T")


def _guarded(read: Callable[[], T]) -> T:
    """Run openpyxl: whatever it raises (or warns) about a hostile file is an unreadable file.

    Warnings are silenced so that a warning turned into an error (as the test settings do) cannot change
    the outcome; catch_warnings is process-wide, so another thread may miss a warning meanwhile.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return read()
    except FillInError:
        raise
    except Exception as exc:
        raise _refuse(UNREADABLE) from exc


@dataclass(frozen=True)
class _Snapshot:
    """A sheet's non-empty cells as plain values, read once and bounded."""

    name: str
    cells: dict[Position, tuple[object, str]]  # (value, openpyxl data_type)
    max_rows: int
    overflow: bool  # the sheet has rows beyond max_rows

    def text(self, position: Position) -> str:
        found = self.cells.get(position)
        return "" if found is None else _text(found[0])


class _Book:
    def __init__(self, book: Any) -> None:
        self._book = book

    def grid(self, layout: _Layout) -> _Snapshot:
        """The answer sheet, read a little past its grid (enough to see what was typed beside it)."""
        limits = _Limits(layout.rows + EXTRA_ROWS, None, layout.rows * layout.cols + EXTRA_CELLS)
        return self.snapshot(layout.sheet, limits)

    def snapshot(self, name: str, limits: _Limits) -> _Snapshot:
        if name not in _guarded(lambda: list(self._book.sheetnames)):
            raise _refuse(MISSING_SHEET.format(name=name))
        return _guarded(lambda: _snapshot(self._book[name], name, limits))


@contextlib.contextmanager
def _opened(data: bytes, limit: int, max_cells: int) -> Iterator[_Book]:
    package = _unpack(data, limit, max_cells)
    book = _guarded(
        lambda: load_workbook(io.BytesIO(package), read_only=True, data_only=False, keep_links=False)
    )
    try:
        yield _Book(book)
    finally:
        with contextlib.suppress(Exception):
            book.close()


@dataclass(frozen=True)
class _Limits:
    rows: int
    cols: int | None  # None: as wide as the row's cells
    cells: int  # non-empty cells


def _snapshot(sheet: Any, name: str, limits: _Limits) -> _Snapshot:
    # The <dimension> element is the file's claim; ignoring it keeps rows as wide as their cells.
    sheet.reset_dimensions()
    cells: dict[Position, tuple[object, str]] = {}
    overflow = False
    # openpyxl fills gaps with empty rows, so the count is the row number.
    for row, values in enumerate(sheet.iter_rows(max_col=limits.cols), start=1):
        if row > limits.rows:
            overflow = True
            break
        if len(values) > MAX_COLUMNS:  # cells without a reference are numbered on and on
            raise _refuse(UNREADABLE)
        for col, cell in enumerate(values, start=1):
            if cell is EMPTY_CELL or (cell.value is None and cell.data_type != "f"):
                continue
            cells[(row, col)] = (cell.value, cell.data_type)
            if len(cells) > limits.cells:
                raise FillInError([Problem(name, None, TOO_MANY_CELLS)])
    return _Snapshot(name, cells, limits.rows, overflow)


# Reading: the metadata --------------------------------------------------------------------------------


def _read_metadata(book: _Book) -> dict[str, list[str]]:
    sheet = book.snapshot(META_SHEET, _Limits(META_ROWS, 2, 2 * META_ROWS))
    meta: dict[str, list[str]] = {}
    for row in range(2, META_ROWS + 1):
        key = sheet.text((row, 1)).strip()
        if key:
            meta.setdefault(key, []).append(sheet.text((row, 2)).strip())
    return meta


def _single(meta: Mapping[str, list[str]], key: str) -> str | None:
    values = meta.get(key, [])
    return values[0] if len(values) == 1 else None


def _check_metadata(meta: Mapping[str, list[str]], framework: Framework, kind: str) -> None:
    if _single(meta, KEY_FORMAT) != FORMAT_ID:
        raise _refuse(NOT_OURS)
    if _single(meta, KEY_KIND) != kind:
        raise _refuse(WRONG_KIND[kind])
    slug, version = _single(meta, KEY_SLUG), _single(meta, KEY_VERSION)
    if not slug or not version:
        raise _refuse(META_EDITED)
    if (slug, version) != (framework.slug, framework.version):
        found = version if slug == framework.slug else f"{slug} {version}"
        raise _refuse(OTHER_VERSION.format(found=found, expected=framework.version))


def _listed_participants(meta: Mapping[str, list[str]]) -> list[str]:
    codes = meta.get(KEY_PARTICIPANT, [])
    if _single(meta, KEY_COUNT) != str(len(codes)):
        raise _refuse(META_EDITED)
    return codes


# Reading: the grid ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Grid:
    problems: list[Problem]
    values: dict[Position, int]  # answer cells with a value on the scale
    filled: set[Position]  # answer cells with anything in them, valid or not


def _check_grid(sheet: _Snapshot, layout: _Layout, scale: Scale) -> _Grid:
    found: list[tuple[Position, Problem]] = []

    def at(position: Position, message: str) -> None:
        found.append((position, Problem(layout.sheet, _coordinate(position), message)))

    formulas = {position for position, (_, kind) in sheet.cells.items() if kind == "f"}
    for position in formulas:
        at(position, FORMULA)
    for (row, col), (value, _) in sheet.cells.items():
        outside = row > layout.rows or col > layout.cols
        if outside and (row, col) not in formulas and not _blank(value):
            at((row, col), OUTSIDE.format(value=_shown(value)))
    if sheet.overflow:
        overflow = Problem(layout.sheet, None, OVERFLOW.format(rows=sheet.max_rows))
        found.append(((sheet.max_rows + 1, 0), overflow))
    stop = _check_fixed(sheet, layout, formulas, at)
    values: dict[Position, int] = {}
    filled: set[Position] = set()
    for position, _slot in layout.slots.items():
        raw = sheet.cells.get(position)
        if position[0] >= stop or raw is None or (_blank(raw[0]) and position not in formulas):
            continue
        filled.add(position)
        if position in formulas:
            continue
        value = _parse_answer(raw[0], scale)
        if value is None:
            at(position, BAD_VALUE.format(choices=choices_text(scale), value=_shown(raw[0])))
        else:
            values[position] = value
    found.sort(key=lambda pair: pair[0])
    return _Grid([problem for _, problem in found], values, filled)


def _check_fixed(
    sheet: _Snapshot, layout: _Layout, formulas: set[Position], at: Callable[[Position, str], None]
) -> int:
    """Compare the fixed cells row by row; return the first row whose key (column A) moved, if any."""
    for row in range(1, layout.rows + 1):
        for col in range(1, layout.cols + 1):
            expected = layout.fixed.get((row, col))
            if expected is None or (row, col) in formulas or _same(sheet.text((row, col)), expected):
                continue
            message = CHANGED.format(expected=_clip(expected))
            if col == 1 and row > 1:
                # Everything below a deleted or moved row is shifted: one problem says it better than 50.
                at((row, col), message + MOVED)
                return row
            at((row, col), message)
    return layout.rows + 1


def _personal_answers(
    framework: Framework, layout: _Layout, values: Mapping[Position, int]
) -> dict[str, tuple[int | None, int | None]]:
    found: dict[str, list[int | None]] = {}
    for position, slot in layout.slots.items():
        if position in values:
            found.setdefault(slot.code, [None, None])[AXES.index(slot.axis)] = values[position]
    return {code: (found[code][0], found[code][1]) for code in framework.item_codes() if code in found}


def _check_participants(layout: _Layout, known: set[str], filled: set[Position]) -> list[Problem]:
    """Each listed participant is listed once, and one whose row has answers must still be in the
    cohort (someone who left after the download, with a blank row, does not spoil the file)."""
    problems: list[Problem] = []
    first: dict[str, str] = {}
    rows_with_answers = {row for row, _col in filled}
    for row in range(2, layout.rows + 1):
        code = layout.fixed[(row, 1)].strip()
        where = _coordinate((row, 1))
        if code in first:
            problems.append(
                Problem(layout.sheet, where, DUPLICATE.format(code=_clip(code), first=first[code]))
            )
        elif code not in known and row in rows_with_answers:
            problems.append(Problem(layout.sheet, where, UNKNOWN_PARTICIPANT.format(code=_clip(code))))
        first.setdefault(code, where)
    return problems


def _cohort_rows(framework: Framework, layout: _Layout, grid: _Grid) -> tuple[list[CohortRow], list[Problem]]:
    labels = _axis_labels(framework)
    blank = BLANK.format(u=labels[Axis.UNDERSTANDING], p=labels[Axis.PRACTICE])
    by_row: dict[int, list[Position]] = {}
    for position in layout.slots:
        by_row.setdefault(position[0], []).append(position)
    rows: list[CohortRow] = []
    problems: list[Problem] = []
    for row, positions in sorted(by_row.items()):
        if not any(position in grid.filled for position in positions):
            continue  # a participant without answers
        empty = [position for position in positions if position not in grid.filled]
        for position in empty[:BLANKS_PER_ROW]:
            problems.append(Problem(layout.sheet, _coordinate(position), blank))
        if len(empty) > BLANKS_PER_ROW:
            more = MORE_BLANKS.format(row=row, count=len(empty) - BLANKS_PER_ROW)
            problems.append(Problem(layout.sheet, None, more))
        if all(position in grid.values for position in positions):
            rows.append(CohortRow(layout.fixed[(row, 1)].strip(), row, _row_answers(layout, grid, positions)))
    return rows, problems


def _row_answers(layout: _Layout, grid: _Grid, positions: Sequence[Position]) -> dict[str, tuple[int, int]]:
    pairs: dict[str, list[int]] = {}
    for position in positions:
        slot = layout.slots[position]
        pairs.setdefault(slot.code, [0, 0])[AXES.index(slot.axis)] = grid.values[position]
    return {code: (pair[0], pair[1]) for code, pair in pairs.items()}


def _in_order(problems: Sequence[Problem]) -> list[Problem]:
    """Problems by place: the file first, then by sheet, row and column."""

    def key(problem: Problem) -> tuple[int, str, int, int]:
        if problem.cell is None:
            return (0 if problem.sheet is None else 2, problem.sheet or "", 0, 0)
        match = re.fullmatch(r"([A-Z]+)([0-9]+)", problem.cell)
        if match is None:
            return (1, problem.sheet or "", 0, 0)
        return (1, problem.sheet or "", int(match.group(2)), _column_number(match.group(1)))

    return sorted(problems, key=key)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


# Reading: values ------------------------------------------------------------------------------------


def _parse_answer(value: object, scale: Scale) -> int | None:
    """A level value from what was typed, or None when it is not on the scale."""
    if isinstance(value, bool):
        return None  # TRUE is not 「はい」: someone typed into the wrong format
    if isinstance(value, int):
        return value if value in scale.values() else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and int(value) in scale.values() else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    for level in scale.levels:
        if text == level.label:
            return level.value
    folded = unicodedata.normalize("NFKC", text).strip()  # full-width digits
    if re.fullmatch(r"[0-9]{1,9}", folded):
        number = int(folded)
        return number if number in scale.values() else None
    return _symbol(text, scale)


def _symbol(text: str, scale: Scale) -> int | None:
    """○ and × for a two-level scale, as people mark paper."""
    positive = [level.value for level in scale.levels if scale.is_positive(level.value)]
    negative = [level.value for level in scale.levels if not scale.is_positive(level.value)]
    if len(positive) != 1 or len(negative) != 1:
        return None
    if text in POSITIVE_SYMBOLS:
        return positive[0]
    if text in NEGATIVE_SYMBOLS:
        return negative[0]
    return None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    """A cell value as the text a person sees, for comparing with what was written."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _same(actual: str, expected: str) -> bool:
    return _normalised(actual) == _normalised(expected)


def _normalised(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _shown(value: object) -> str:
    """What was typed, short and on one line, to quote in a message."""
    return _clip(re.sub(r"[\x00-\x1f\x7f]+", " ", _text(value)).strip())


def _clip(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
