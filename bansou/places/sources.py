"""Reading a 市町村 list — the bundled CSV files or 総務省's spreadsheet — into plain records.

Both readers give the same shape of data, so that either list can replace the other:

- ``name`` as 総務省 writes it, without a space: 「札幌市中央区」 (the CSV's 「札幌市 中央区」 loses
  its space);
- ``kana`` in full-width katakana without a space: 「サッポロシチュウオウク」;
- ``kind``: 特別区 (Tokyo's 23 wards, codes 131xx), 政令指定都市 (a city with wards in the list), the ward of
  a 政令指定都市, or any other 市町村.

Every code's check digit is verified; the first bad row stops the reading with its file, sheet and row.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bansou.domain.kana import to_katakana_key
from bansou.domain.lgcode import is_prefecture_lgcode, is_valid_lgcode

BUNDLED_DIR = Path(__file__).resolve().parent / "data"
MUNICIPALITIES_CSV = "localgovjp-utf8.csv"
PREFECTURES_CSV = "prefjp-utf8.csv"

CITY = "city"
SPECIAL_WARD = "special_ward"
DESIGNATED_CITY = "designated_city"
WARD = "ward"

_SPACES = re.compile(r"\s+")


class MunicipalityListError(ValueError):
    """A list that cannot be loaded; the message names the file, the row and the reason, in Japanese."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


@dataclass(frozen=True)
class PrefectureRecord:
    code: str  # "01".."47"
    lgcode: str  # "010006"
    name: str
    kana: str


@dataclass(frozen=True)
class MunicipalityRecord:
    lgcode: str
    prefecture: str  # "01".."47"
    name: str
    kana: str
    kind: str


@dataclass(frozen=True)
class MunicipalityData:
    prefectures: tuple[PrefectureRecord, ...]
    municipalities: tuple[MunicipalityRecord, ...]


@dataclass(frozen=True)
class _Row:
    """One 市区町村 as read, before its kind is known."""

    where: str
    lgcode: str
    name: str
    kana: str
    parent: str | None  # for a ward: the name of its 政令指定都市


def _compact(text: str) -> str:
    return _SPACES.sub("", text)


def _code(raw: object, where: str) -> str:
    """A six-digit code with a valid check digit; a number cell that lost its leading zero gets it back."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        code = str(raw).zfill(6)
    else:
        code = unicodedata.normalize("NFKC", str(raw if raw is not None else "")).strip()
    if not re.fullmatch(r"[0-9]{6}", code):
        raise MunicipalityListError(where, f"団体コード「{raw}」は6桁の数字ではありません")
    if not is_valid_lgcode(code):
        raise MunicipalityListError(where, f"団体コード「{code}」の検査数字が正しくありません")
    return code


def _kind(row: _Row, designated: set[tuple[str, str]]) -> str:
    if row.parent is not None:
        return WARD
    if (row.lgcode[:2], row.name) in designated:
        return DESIGNATED_CITY
    if row.lgcode.startswith("131") and row.lgcode[:5] != "13100":
        return SPECIAL_WARD
    return CITY


def _assemble(prefectures: Sequence[PrefectureRecord], rows: Sequence[_Row]) -> MunicipalityData:
    """Checks the rows against each other and gives each its kind."""
    known = {p.code for p in prefectures}
    seen: dict[str, str] = {}
    names = {(row.lgcode[:2], row.name) for row in rows if row.parent is None}
    designated: set[tuple[str, str]] = set()
    for row in rows:
        if row.lgcode[:2] not in known:
            raise MunicipalityListError(row.where, f"団体コード「{row.lgcode}」の都道府県が一覧にありません")
        if row.lgcode in seen:
            raise MunicipalityListError(
                row.where, f"団体コード「{row.lgcode}」が2度あります（最初は {seen[row.lgcode]}）"
            )
        if is_prefecture_lgcode(row.lgcode):
            raise MunicipalityListError(row.where, f"団体コード「{row.lgcode}」は都道府県のコードです")
        if not row.name or not row.kana:
            raise MunicipalityListError(row.where, f"団体コード「{row.lgcode}」の名前かよみがなが空です")
        seen[row.lgcode] = row.where
        if row.parent is not None:
            if (row.lgcode[:2], row.parent) not in names:
                raise MunicipalityListError(
                    row.where, f"区「{row.name}」の政令指定都市「{row.parent}」が一覧にありません"
                )
            designated.add((row.lgcode[:2], row.parent))
    municipalities = tuple(
        MunicipalityRecord(
            lgcode=row.lgcode,
            prefecture=row.lgcode[:2],
            name=row.name,
            kana=row.kana,
            kind=_kind(row, designated),
        )
        for row in sorted(rows, key=lambda row: row.lgcode)
    )
    return MunicipalityData(
        prefectures=tuple(sorted(prefectures, key=lambda p: p.code)), municipalities=municipalities
    )


def _prefecture(code: str, name: str, kana: str, where: str) -> PrefectureRecord:
    if not is_prefecture_lgcode(code):
        raise MunicipalityListError(where, f"団体コード「{code}」は都道府県のコードではありません")
    name, kana = _compact(name), to_katakana_key(kana)
    if not name or not kana:
        raise MunicipalityListError(where, f"団体コード「{code}」の都道府県名かよみがなが空です")
    return PrefectureRecord(code=code[:2], lgcode=code, name=name, kana=kana)


# The bundled CSV files (code4fukui/localgovjp) ------------------------------------------------------


def _csv_rows(path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):  # row 1 is the heading
            yield f"{path.name} {number}行目", row


def _column(row: dict[str, str], column: str, where: str) -> str:
    value = row.get(column)
    if value is None:
        raise MunicipalityListError(where, f"列「{column}」がありません")
    return value.strip()


def read_csv_files(directory: Path) -> MunicipalityData:
    """``prefjp-utf8.csv`` and ``localgovjp-utf8.csv`` of code4fukui/localgovjp, as bundled."""
    prefectures = []
    for where, row in _csv_rows(directory / PREFECTURES_CSV):
        # This file writes the code as a number: 10006 is 010006.
        code = _code(_column(row, "lgcode", where).zfill(6), where)
        prefectures.append(
            _prefecture(code, _column(row, "pref", where), _column(row, "prefkana", where), where)
        )
    rows = []
    for where, row in _csv_rows(directory / MUNICIPALITIES_CSV):
        code = _code(_column(row, "lgcode", where), where)
        city = _column(row, "city", where)
        # A ward of a 政令指定都市 is written 「札幌市 中央区」.
        parent, _, ward = city.partition(" ")
        rows.append(
            _Row(
                where=where,
                lgcode=code,
                name=_compact(city),
                kana=to_katakana_key(_column(row, "citykana", where)),
                parent=_compact(parent) if ward.strip() else None,
            )
        )
    return _assemble(prefectures, rows)


@cache
def read_bundled() -> MunicipalityData:
    """The bundled list, read once per process."""
    return read_csv_files(BUNDLED_DIR)


# 総務省's spreadsheet 「全国地方公共団体コード」 ---------------------------------------------------------

_HEADINGS = {
    "code": "団体コード",
    "prefecture": "都道府県名（漢字）",
    "name": "市区町村名（漢字）",
    "prefecture_kana": "都道府県名（カナ）",
    "kana": "市区町村名（カナ）",
}


def _heading_key(cell: object) -> str | None:
    """Which column a heading cell names; tolerant of line breaks, spaces and half-width brackets."""
    text = unicodedata.normalize("NFKC", _compact(str(cell))) if cell is not None else ""
    if text == "団体コード":
        return "code"
    for subject, key in (("都道府県名", "prefecture"), ("市区町村名", "name")):
        if text.startswith(subject):
            reading = "カナ" in text or "よみ" in text or "ふりがな" in text
            if key == "name":
                return "kana" if reading else "name"
            return "prefecture_kana" if reading else "prefecture"
    return None


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


@dataclass(frozen=True)
class _SheetRow:
    where: str
    code: str
    prefecture: str
    name: str
    prefecture_kana: str
    kana: str


def _sheet_rows(title: str, rows: Iterable[Sequence[object]], label: str) -> Iterator[_SheetRow]:
    """The data rows under the heading row (found by its 団体コード cell, wherever it is)."""
    columns: dict[str, int] | None = None
    for number, cells in enumerate(rows, start=1):
        where = f"{label}「{title}」シート {number}行目"
        if columns is None:
            found = {key: index for index, cell in enumerate(cells) if (key := _heading_key(cell))}
            if "code" in found:
                missing = [heading for key, heading in _HEADINGS.items() if key not in found]
                if missing:
                    raise MunicipalityListError(where, "見出しがありません：" + "、".join(missing))
                columns = found
            continue
        values = {key: _text(cells[index]) if index < len(cells) else "" for key, index in columns.items()}
        if not values["code"]:
            continue  # an empty row, or a note under the table
        code_cell = cells[columns["code"]]
        yield _SheetRow(
            where=where,
            code=_code(code_cell, where),
            prefecture=_compact(values["prefecture"]),
            name=_compact(values["name"]),
            prefecture_kana=values["prefecture_kana"],
            kana=values["kana"],
        )
    if columns is None:
        raise MunicipalityListError(f"{label}「{title}」シート", "見出し「団体コード」の行が見つかりません")


def _parent_of(ward: _SheetRow, cities: dict[str, list[str]]) -> str:
    """The 政令指定都市 whose name begins the ward's: the longest such city of its prefecture."""
    candidates = [city for city in cities.get(ward.code[:2], []) if ward.name.startswith(city)]
    if not candidates:
        raise MunicipalityListError(ward.where, f"区「{ward.name}」の政令指定都市が見つかりません")
    return max(candidates, key=len)


def read_soumu_workbook(path: Path) -> MunicipalityData:
    """総務省's 「全国地方公共団体コード」 (.xlsx).

    Sheet 1 lists the 都道府県 and 市区町村, sheet 2 the 政令指定都市 with their wards.
    Kana there is half-width (ﾎｯｶｲﾄﾞｳ) and is stored full-width; a 都道府県's row has no 市区町村名.
    """
    from openpyxl import load_workbook  # only the refresh command needs it

    # The file is opened here, not by openpyxl, so that it is closed even when openpyxl gives up
    # half-way through opening it (it would otherwise be left to the garbage collector).
    with path.open("rb") as handle:
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise MunicipalityListError(
                path.name, f"Excel ファイル（.xlsx）として読めません（{exc}）"
            ) from exc
        try:
            sheets = [
                (sheet.title, list(_sheet_rows(sheet.title, sheet.iter_rows(values_only=True), path.name)))
                for sheet in workbook.worksheets[:2]
            ]
        finally:
            workbook.close()
    if not sheets:
        raise MunicipalityListError(path.name, "シートがありません")

    prefectures: list[PrefectureRecord] = []
    rows: list[_Row] = []
    for line in sheets[0][1]:
        if not line.name:
            prefectures.append(_prefecture(line.code, line.prefecture, line.prefecture_kana, line.where))
        else:
            rows.append(_Row(line.where, line.code, line.name, to_katakana_key(line.kana), parent=None))
    if not prefectures:
        raise MunicipalityListError(f"{path.name}「{sheets[0][0]}」シート", "都道府県の行がありません")

    in_first = {row.lgcode for row in rows}
    cities: dict[str, list[str]] = {}
    for row in rows:
        cities.setdefault(row.lgcode[:2], []).append(row.name)
    for _title, lines in sheets[1:]:
        for line in lines:
            if line.code in in_first or not line.name:
                continue  # the 政令指定都市 itself (or its 都道府県), already read from the first sheet
            parent = _parent_of(line, cities)
            rows.append(_Row(line.where, line.code, line.name, to_katakana_key(line.kana), parent=parent))
    return _assemble(prefectures, rows)
