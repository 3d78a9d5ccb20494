"""MunicipalityField: a 6-digit 団体コード in another app's form → the Municipality."""

from __future__ import annotations

import datetime

import pytest
from django import forms

from bansou.places.forms import MunicipalityField, prefecture_choices
from bansou.places.models import Municipality, MunicipalityList
from bansou.places.services import load_municipality_list
from bansou.places.sources import MunicipalityData, read_bundled

pytestmark = pytest.mark.django_db
BAD_CODE = "団体コードが正しくありません（6桁、検査数字を含む）"


class TeamForm(forms.Form):
    municipality = MunicipalityField()


class OptionalForm(forms.Form):
    municipality = MunicipalityField(required=False)


def errors_of(value: str) -> list[str]:
    form = TeamForm({"municipality": value})
    assert not form.is_valid()
    return [str(error) for error in form.errors["municipality"]]


@pytest.mark.parametrize("typed", ["131016", "１３１０１６", " 131016 ", "131 016"])
def test_a_code_gives_the_municipality(municipalities: MunicipalityList, typed: str) -> None:
    form = TeamForm({"municipality": typed})

    assert form.is_valid(), form.errors
    municipality = form.cleaned_data["municipality"]
    assert isinstance(municipality, Municipality)
    assert (municipality.lgcode, municipality.name) == ("131016", "千代田区")


@pytest.mark.parametrize("typed", ["131017", "13101", "1310166", "千代田区", "abcdef"])
def test_a_malformed_code_or_a_wrong_check_digit_is_refused(
    municipalities: MunicipalityList, typed: str
) -> None:
    assert errors_of(typed) == [BAD_CODE]


def test_a_valid_code_not_in_the_list_is_refused(municipalities: MunicipalityList) -> None:
    assert errors_of("010006") == ["この団体コードの市区町村は、市町村一覧にありません。"]  # 北海道 itself


def test_a_municipality_no_longer_in_the_list_is_refused(municipalities: MunicipalityList) -> None:
    data = read_bundled()
    load_municipality_list(
        MunicipalityData(data.prefectures, tuple(m for m in data.municipalities if m.lgcode != "131016")),
        source="テスト",
        as_of=datetime.date(2027, 1, 1),
    )

    assert errors_of("131016") == ["この団体コードの市区町村は、市町村一覧にありません。"]


def test_empty_is_required_unless_optional(municipalities: MunicipalityList) -> None:
    assert errors_of("") == ["このフィールドは必須です。"]
    optional = OptionalForm({"municipality": ""})
    assert optional.is_valid()
    assert optional.cleaned_data["municipality"] is None


def test_the_field_shows_a_municipality_as_its_code(municipalities: MunicipalityList) -> None:
    form = TeamForm(initial={"municipality": Municipality.objects.get(lgcode="011011")})

    html = str(form["municipality"])
    assert 'value="011011"' in html
    assert 'inputmode="numeric"' in html


def test_prefecture_choices_are_the_47_in_code_order(municipalities: MunicipalityList) -> None:
    choices = prefecture_choices()

    assert len(choices) == 47
    assert (
        choices[0] == ("01", "北海道") and choices[12] == ("13", "東京都") and choices[-1] == ("47", "沖縄県")
    )
