"""Loading the bundled 市町村 list: counts, kinds, names, idempotency, never deleting."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from bansou.places.models import Municipality, MunicipalityList, Prefecture
from bansou.places.services import (
    BUNDLED_SOURCE,
    load_bundled_municipalities,
    load_municipality_list,
)
from bansou.places.sources import (
    BUNDLED_DIR,
    MunicipalityData,
    MunicipalityListError,
    read_bundled,
    read_csv_files,
)

pytestmark = pytest.mark.django_db
Kind = Municipality.Kind


def without(data: MunicipalityData, *codes: str) -> MunicipalityData:
    return MunicipalityData(
        prefectures=data.prefectures,
        municipalities=tuple(m for m in data.municipalities if m.lgcode not in codes),
    )


def test_the_bundled_list_has_every_prefecture_and_municipality(municipalities: MunicipalityList) -> None:
    assert Prefecture.objects.count() == 47
    assert Municipality.objects.count() == 1916
    assert Municipality.objects.filter(active=True).count() == 1916
    assert Municipality.objects.filter(kind=Kind.SPECIAL_WARD).count() == 23
    assert Municipality.objects.filter(kind=Kind.WARD).count() == 175
    assert Municipality.objects.filter(kind=Kind.DESIGNATED_CITY).count() == 20
    assert Municipality.objects.filter(kind=Kind.CITY).count() == 1916 - 23 - 175 - 20
    assert (municipalities.source, municipalities.as_of, municipalities.count) == (
        "code4fukui/localgovjp（国土地理院・J-LIS の一覧に基づく）",
        datetime.date(2026, 7, 9),
        1916,
    )


def test_the_23_special_wards_are_tokyos_131016_to_131237(municipalities: MunicipalityList) -> None:
    wards = Municipality.objects.filter(kind=Kind.SPECIAL_WARD).order_by("lgcode")

    assert (wards.first().lgcode, wards.last().lgcode) == ("131016", "131237")  # type: ignore[union-attr]
    assert {w.prefecture_id for w in wards} == {"13"}
    assert all(w.name.endswith("区") for w in wards)


def test_names_and_readings_are_stored_as_the_official_list_writes_them(
    municipalities: MunicipalityList,
) -> None:
    ward = Municipality.objects.get(lgcode="011011")
    sapporo = Municipality.objects.get(lgcode="011002")
    chiyoda = Municipality.objects.get(lgcode="131016")
    hokkaido = Prefecture.objects.get(code="01")

    assert (ward.name, ward.kana, ward.kind, ward.prefecture_id) == (
        "札幌市中央区",
        "サッポロシチュウオウク",
        Kind.WARD,
        "01",
    )
    assert (sapporo.name, sapporo.kana, sapporo.kind) == ("札幌市", "サッポロシ", Kind.DESIGNATED_CITY)
    assert (chiyoda.name, chiyoda.kana) == ("千代田区", "チヨダク")
    assert str(chiyoda) == "東京都 千代田区"
    assert (hokkaido.lgcode, hokkaido.name, hokkaido.kana) == ("010006", "北海道", "ホッカイドウ")
    assert not Municipality.objects.filter(name__contains=" ").exists()
    assert not Municipality.objects.filter(kana__contains=" ").exists()


def test_every_designated_city_has_its_wards(municipalities: MunicipalityList) -> None:
    for city in Municipality.objects.filter(kind=Kind.DESIGNATED_CITY):
        wards = Municipality.objects.filter(kind=Kind.WARD, name__startswith=city.name)
        assert wards.exists(), city.name


def test_loading_again_changes_nothing_and_records_no_new_list(municipalities: MunicipalityList) -> None:
    again = load_bundled_municipalities()

    assert not again.changed
    assert again.recorded is None
    assert MunicipalityList.objects.count() == 1
    assert Municipality.objects.count() == 1916


def test_the_command_loads_once_and_then_says_nothing_changed(db: None) -> None:
    from io import StringIO

    first, second = StringIO(), StringIO()
    call_command("load_municipalities", stdout=first)
    call_command("load_municipalities", stdout=second)

    assert "追加 1916件" in first.getvalue()
    assert "変更はありません" in second.getvalue()
    assert MunicipalityList.objects.count() == 1


def test_a_municipality_missing_from_a_newer_list_is_kept_but_inactive(
    municipalities: MunicipalityList,
) -> None:
    result = load_municipality_list(
        without(read_bundled(), "011011"), source="テスト", as_of=datetime.date(2027, 1, 1)
    )

    assert (result.created, result.updated, result.deactivated) == (0, 0, 1)
    assert Municipality.objects.count() == 1916
    assert not Municipality.objects.get(lgcode="011011").active
    assert result.recorded is not None and result.recorded.count == 1915
    assert MunicipalityList.objects.first() == result.recorded


def test_a_municipality_that_comes_back_is_active_again(municipalities: MunicipalityList) -> None:
    load_municipality_list(
        without(read_bundled(), "011011"), source="テスト", as_of=datetime.date(2027, 1, 1)
    )

    result = load_municipality_list(read_bundled(), source="テスト", as_of=datetime.date(2027, 4, 1))

    assert result.updated == 1
    assert Municipality.objects.get(lgcode="011011").active


def test_a_list_older_than_the_one_in_use_is_refused(municipalities: MunicipalityList) -> None:
    with pytest.raises(MunicipalityListError, match="より古いため読み込みません"):
        load_municipality_list(read_bundled(), source="テスト", as_of=datetime.date(2020, 1, 1))


def test_the_bundled_list_gives_way_to_a_newer_refresh(municipalities: MunicipalityList) -> None:
    load_municipality_list(
        without(read_bundled(), "011011"), source="総務省", as_of=datetime.date(2027, 1, 1)
    )

    result = load_bundled_municipalities()

    assert result.newer is not None and result.newer.source == "総務省"
    assert "より新しい一覧" in result.describe()
    assert not Municipality.objects.get(lgcode="011011").active  # not undone by a restart


def test_the_same_data_under_a_new_date_records_the_new_date(municipalities: MunicipalityList) -> None:
    result = load_municipality_list(read_bundled(), source=BUNDLED_SOURCE, as_of=datetime.date(2027, 1, 1))

    assert not result.changed
    assert result.recorded is not None
    assert MunicipalityList.objects.first().as_of == datetime.date(2027, 1, 1)  # type: ignore[union-attr]


def test_a_bad_check_digit_stops_loading_and_names_the_row(tmp_path: Path) -> None:
    for name in ("localgovjp-utf8.csv", "prefjp-utf8.csv"):
        shutil.copy(BUNDLED_DIR / name, tmp_path / name)
    path = tmp_path / "localgovjp-utf8.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace(",011011\n", ",011012\n"), encoding="utf-8")

    with pytest.raises(MunicipalityListError) as raised:
        read_csv_files(tmp_path)

    assert str(raised.value) == (
        "localgovjp-utf8.csv 3行目: 団体コード「011012」の検査数字が正しくありません"
    )


def test_nothing_is_written_when_the_list_is_refused(db: None) -> None:
    data = read_bundled()
    broken = MunicipalityData(prefectures=data.prefectures[:1], municipalities=data.municipalities)

    with pytest.raises(MunicipalityListError, match="都道府県が一覧にありません"):
        load_municipality_list(broken, source="テスト", as_of=datetime.date(2027, 1, 1))

    assert not Municipality.objects.exists()
    assert not MunicipalityList.objects.exists()
