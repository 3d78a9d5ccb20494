"""The picker /places/municipalities/: search by 都道府県, name, reading or code; 「選ぶ」 to ``next``."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from bansou.places.models import MunicipalityList

pytestmark = pytest.mark.django_db
URL = "/places/municipalities/"


def page(**params: str) -> str:
    response = Client().get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def codes(html: str) -> list[str]:
    """The 団体コード of the result rows, in order."""
    return re.findall(r"<tr>\s*<td>(\d{6})</td>", html)


def choose_links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'<a href="([^"]*)">選ぶ<span', html)]


def test_the_url_is_named_in_the_places_namespace() -> None:
    assert reverse("places:municipalities") == URL


def test_the_page_is_public_and_says_the_lists_date_and_source(municipalities: MunicipalityList) -> None:
    html = page()

    assert (
        "市町村一覧: 2026年7月9日時点（出典 code4fukui/localgovjp（国土地理院・J-LIS の一覧に基づく））"
        in html
    )


def test_without_a_list_the_page_says_how_to_load_it(db: None) -> None:
    html = page()

    assert "manage.py load_municipalities" in html
    assert codes(html) == []


def test_the_form_has_labelled_controls_and_47_prefectures_in_code_order(
    municipalities: MunicipalityList,
) -> None:
    html = page()

    assert '<label class="field-label" for="id_pref">都道府県</label>' in html
    assert '<label class="field-label" for="id_q">名前・よみがな・団体コード</label>' in html
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', html)
    assert options[0] == ("", "すべて")
    assert [value for value, _ in options[1:]] == [f"{n:02d}" for n in range(1, 48)]
    assert options[1][1] == "北海道" and options[13][1] == "東京都" and options[47][1] == "沖縄県"


def test_at_most_100_rows_in_code_order_with_the_total_in_words(municipalities: MunicipalityList) -> None:
    html = page()

    rows = codes(html)
    assert len(rows) == 100
    assert rows == sorted(rows) and rows[0] == "011002"
    assert "該当する 1,916 件のうち、団体コード順に最初の 100 件を表示しています。" in html


def test_the_prefecture_filter(municipalities: MunicipalityList) -> None:
    html = page(pref="47")

    assert all(code.startswith("47") for code in codes(html))
    assert "該当する 41 件を、団体コード順に表示しています。" in html


@pytest.mark.parametrize("reading", ["ちよだく", "チヨダク", "ﾁﾖﾀﾞｸ", "ちよだ く"])
def test_a_reading_matches_in_hiragana_katakana_or_half_width(
    municipalities: MunicipalityList, reading: str
) -> None:
    assert codes(page(q=reading)) == ["131016"]


def test_a_reading_matches_from_its_start_a_tokyo_ward_before_a_town(
    municipalities: MunicipalityList,
) -> None:
    html = page(q="ちよだ")

    assert codes(html) == ["131016", "105236"]  # 千代田区（東京都）, then 千代田町（群馬県）
    assert "該当する 2 件を、近い順に表示しています" in html
    assert re.search(r"<td>131016</td>\s*<td>東京都</td>\s*<th scope=\"row\">千代田区</th>", html)


def test_an_exact_reading_comes_before_longer_ones_then_cities_before_towns(
    municipalities: MunicipalityList,
) -> None:
    rows = codes(page(q="ふちゅう"))  # 府中市 (東京都, 広島県) and 府中町 (広島県), exact all three

    assert rows[:3] == ["132063", "342084", "343021"]


def test_the_exact_name_comes_first(municipalities: MunicipalityList) -> None:
    rows = codes(page(q="中央区"))  # 東京都中央区 (特別区) before the wards of 政令指定都市

    assert rows[0] == "131024"
    assert len(rows) > 1


@pytest.mark.parametrize("reading", ["さっぽろし ちゅうおう", "さっぽろしちゅうおう", "ｻｯﾎﾟﾛｼ ﾁｭｳｵｳ"])
def test_a_ward_matches_with_or_without_the_space(municipalities: MunicipalityList, reading: str) -> None:
    assert codes(page(q=reading)) == ["011011"]


def test_a_reading_does_not_match_in_its_middle(municipalities: MunicipalityList) -> None:
    assert "011011" not in codes(page(q="ちゅうおうく"))


def test_a_name_matches_anywhere(municipalities: MunicipalityList) -> None:
    found = codes(page(q="中央区"))

    assert "011011" in found and "131024" in found
    assert codes(page(q="札幌市 中央区")) == ["011011"]


@pytest.mark.parametrize(("text", "expected"), [("1310", 9), ("131016", 1), ("１３１０１６", 1), ("01", 189)])
def test_digits_match_the_start_of_the_code(
    municipalities: MunicipalityList, text: str, expected: int
) -> None:
    found = codes(page(q=text))

    assert all(
        code.startswith(text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))) for code in found
    )
    assert len(found) == min(expected, 100)


def test_the_prefecture_and_the_text_narrow_together(municipalities: MunicipalityList) -> None:
    assert codes(page(pref="27", q="中央区")) == ["271284"]  # 大阪市中央区, not 札幌市中央区


def test_no_match_says_so(municipalities: MunicipalityList) -> None:
    html = page(q="存在しない町")

    assert codes(html) == []
    assert "該当する市区町村はありません。" in html


def test_an_unknown_prefecture_is_an_error_on_the_form(municipalities: MunicipalityList) -> None:
    html = page(pref="99")

    assert "入力内容を確認してください" in html
    assert codes(html) == []


def test_without_next_there_is_no_choose_column(municipalities: MunicipalityList) -> None:
    html = page(q="ちよだく")

    assert choose_links(html) == []
    assert "選択</th>" not in html


def test_a_local_next_gets_a_choose_link_with_the_code(municipalities: MunicipalityList) -> None:
    html = page(q="ちよだく", next="/teams/new/?step=2&municipality=011002")

    assert choose_links(html) == ["/teams/new/?step=2&municipality=131016"]
    assert '<input type="hidden" name="next" value="/teams/new/?step=2&amp;municipality=011002">' in html
    assert '<span class="visually-hidden">（東京都 千代田区）</span>' in html


@pytest.mark.parametrize(
    "outside",
    [
        "https://example.com/",
        "//example.com/teams/",
        "http://testserver/teams/",  # this host, but not a path: only paths are taken
        "javascript:alert(1)",
        "/\\example.com/",
        "teams/new/",
    ],
)
def test_a_next_that_leaves_the_site_is_ignored(municipalities: MunicipalityList, outside: str) -> None:
    html = page(q="ちよだく", next=outside)

    assert codes(html) == ["131016"]
    assert choose_links(html) == []
    assert 'name="next"' not in html


def test_the_page_follows_the_sites_rules(municipalities: MunicipalityList) -> None:
    response = Client().get(URL, {"q": "さっぽろ", "next": "/teams/new/"})
    html = response.content.decode()

    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert '<html lang="ja">' in html
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"""(src|href|action)=["']?(https?:)?//""", html)
    assert "<caption" in html and 'scope="col"' in html


def test_only_get_is_allowed(db: None) -> None:
    assert Client().post(URL).status_code == 405
