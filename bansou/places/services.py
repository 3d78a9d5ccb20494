"""Loading a 市町村 list into the database: an upsert that never deletes.

A municipality that is not in a newly loaded list (a merger) is kept with ``active=False``, for the
teams that name it; one that comes back is active again. A :class:`MunicipalityList` row records the
list in use (its source and date) whenever loading changed something or brought a new list.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from bansou.domain.lgcode import is_prefecture_lgcode, is_valid_lgcode
from bansou.places.models import Municipality, MunicipalityList, Prefecture
from bansou.places.sources import MunicipalityData, MunicipalityListError, read_bundled, read_soumu_workbook

BUNDLED_SOURCE = "code4fukui/localgovjp（国土地理院・J-LIS の一覧に基づく）"
BUNDLED_AS_OF = datetime.date(2026, 7, 9)
SOUMU_SOURCE = "総務省「全国地方公共団体コード」"

_BATCH = 500


@dataclass(frozen=True)
class LoadResult:
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    prefectures: int = 0  # 都道府県 created or changed
    recorded: MunicipalityList | None = None  # the new list row, when one was recorded
    newer: MunicipalityList | None = None  # the list in use, when it was kept instead of this one

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deactivated or self.prefectures)

    def describe(self) -> str:
        if self.newer is not None:
            newer = self.newer
            return (
                f"より新しい一覧（{newer.source}、{newer.as_of:%Y-%m-%d}時点）を使っているので、"
                "読み込みませんでした"
            )
        if not self.changed and self.recorded is None:
            return "変更はありません"
        return (
            f"追加 {self.created}件、更新 {self.updated}件、一覧から外れた市区町村 {self.deactivated}件、"
            f"都道府県の追加・更新 {self.prefectures}件"
        )


def current_list() -> MunicipalityList | None:
    """The list in use: the one loaded last."""
    return MunicipalityList.objects.first()


def _sync_prefectures(data: MunicipalityData) -> int:
    existing = {p.code: p for p in Prefecture.objects.all()}
    new, changed = [], []
    for record in data.prefectures:
        prefecture = existing.get(record.code)
        if prefecture is None:
            new.append(Prefecture(code=record.code, lgcode=record.lgcode, name=record.name, kana=record.kana))
        elif (prefecture.lgcode, prefecture.name, prefecture.kana) != (
            record.lgcode,
            record.name,
            record.kana,
        ):
            prefecture.lgcode, prefecture.name, prefecture.kana = record.lgcode, record.name, record.kana
            changed.append(prefecture)
    Prefecture.objects.bulk_create(new, batch_size=_BATCH)
    Prefecture.objects.bulk_update(changed, ["lgcode", "name", "kana"], batch_size=_BATCH)
    return len(new) + len(changed)


def _check(data: MunicipalityData, source: str) -> None:
    """Every code valid, every municipality under a 都道府県 of the list (the readers check this too)."""
    for prefecture in data.prefectures:
        if not is_prefecture_lgcode(prefecture.lgcode) or prefecture.lgcode[:2] != prefecture.code:
            raise MunicipalityListError(
                source, f"都道府県「{prefecture.name}」の団体コード「{prefecture.lgcode}」が正しくありません"
            )
    known = {prefecture.code for prefecture in data.prefectures}
    for record in data.municipalities:
        if not is_valid_lgcode(record.lgcode):
            raise MunicipalityListError(
                source, f"「{record.name}」の団体コード「{record.lgcode}」の検査数字が正しくありません"
            )
        if record.prefecture not in known or record.lgcode[:2] != record.prefecture:
            raise MunicipalityListError(
                source, f"「{record.name}」（{record.lgcode}）の都道府県が一覧にありません"
            )


def _sync_municipalities(data: MunicipalityData) -> tuple[int, int, int]:
    """Adds, updates and deactivates 市町村 so that the active ones are the list's: (created, updated,
    deactivated)."""
    existing = {m.lgcode: m for m in Municipality.objects.all()}
    new, changed = [], []
    for record in data.municipalities:
        kind = Municipality.Kind(record.kind)
        municipality = existing.get(record.lgcode)
        if municipality is None:
            new.append(
                Municipality(
                    lgcode=record.lgcode,
                    prefecture_id=record.prefecture,
                    name=record.name,
                    kana=record.kana,
                    kind=kind,
                    active=True,
                )
            )
            continue
        stored = (municipality.prefecture_id, municipality.name, municipality.kana, municipality.kind)
        if stored != (record.prefecture, record.name, record.kana, kind.value) or not municipality.active:
            municipality.prefecture_id = record.prefecture
            municipality.name, municipality.kana, municipality.kind = record.name, record.kana, kind
            municipality.active = True
            changed.append(municipality)
    listed = {record.lgcode for record in data.municipalities}
    gone = [m for code, m in existing.items() if m.active and code not in listed]
    for municipality in gone:
        municipality.active = False

    Municipality.objects.bulk_create(new, batch_size=_BATCH)
    Municipality.objects.bulk_update(
        changed, ["prefecture", "name", "kana", "kind", "active"], batch_size=_BATCH
    )
    Municipality.objects.bulk_update(gone, ["active"], batch_size=_BATCH)
    return len(new), len(changed), len(gone)


@transaction.atomic
def load_municipality_list(data: MunicipalityData, *, source: str, as_of: datetime.date) -> LoadResult:
    """Stores ``data`` as the list of ``as_of``; a list older than the one in use is refused."""
    in_use = MunicipalityList.objects.select_for_update().first()
    if in_use is not None and in_use.as_of > as_of:
        raise MunicipalityListError(
            source,
            f"{as_of:%Y-%m-%d}時点の一覧は、使用中の一覧"
            f"（{in_use.source}、{in_use.as_of:%Y-%m-%d}時点）より古いため読み込みません",
        )
    _check(data, source)
    prefectures = _sync_prefectures(data)
    created, updated, deactivated = _sync_municipalities(data)
    result = LoadResult(created=created, updated=updated, deactivated=deactivated, prefectures=prefectures)
    if result.changed or in_use is None or (in_use.source, in_use.as_of) != (source, as_of):
        recorded = MunicipalityList.objects.create(source=source, as_of=as_of, count=len(data.municipalities))
        result = dataclasses.replace(result, recorded=recorded)
    return result


def load_bundled_municipalities() -> LoadResult:
    """The list shipped with the application (``bansou/places/data``), as ``make run`` loads it.

    Loading it again changes nothing. It gives way to a list an administrator loaded with
    ``refresh_municipalities`` that is as new or newer, so restarting never undoes a refresh.
    """
    in_use = current_list()
    if in_use is not None and in_use.source != BUNDLED_SOURCE and in_use.as_of >= BUNDLED_AS_OF:
        return LoadResult(newer=in_use)
    return load_municipality_list(read_bundled(), source=BUNDLED_SOURCE, as_of=BUNDLED_AS_OF)


def refresh_from_soumu_workbook(
    path: Path, *, as_of: datetime.date, source: str = SOUMU_SOURCE
) -> LoadResult:
    """総務省's spreadsheet 「全国地方公共団体コード」 of ``as_of``, replacing the list in use."""
    return load_municipality_list(read_soumu_workbook(path), source=source, as_of=as_of)
