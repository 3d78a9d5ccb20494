"""The report tables built from domain values, before any file format: plain asserts, no database."""

from __future__ import annotations

from bansou.domain.aggregates import ElementCount, ItemCount, Totals
from bansou.domain.coverage import standings_of
from bansou.domain.reports import MapRow, TotalsColumn, team_map_table, totals_table
from bansou.domain.scoring import Answer, Quadrant, score
from tests.domain.shipped import LEAFLET


def all_yes_but(element: int) -> dict[str, Answer]:
    """○ on both axes, except 実践 × on every item of ``element``."""
    return {item.code: Answer(1, 0 if item.element == element else 1) for item in LEAFLET.items()}


def test_the_team_map_has_a_row_per_member_and_element_and_blanks_for_who_has_not_shared() -> None:
    shared = MapRow("中核 一郎", "中核推進役", True, standings_of(score(LEAFLET, all_yes_but(4))))
    silent = MapRow("伴走 花子", "アドバイザー", False, {})
    table = team_map_table(LEAFLET, [shared, silent])
    assert table.name == "チームマップ"
    assert [c.title for c in table.columns][:4] == ["メンバー", "役割", "共有コード", "エレメント番号"]
    assert len(table.rows) == 2 * 9
    by_key = {(row[0], row[3]): row for row in table.rows}
    four = by_key[("中核 一郎", 4)]
    items_of_four = sum(1 for item in LEAFLET.items() if item.element == 4)
    assert four[2:] == ("shared", 4, items_of_four, 0, items_of_four, "put_into_practice")
    assert by_key[("中核 一郎", 1)][-1] == "strength"
    assert by_key[("伴走 花子", 1)] == ("伴走 花子", "アドバイザー", "not_shared", 1, None, None, None, None)


def test_a_member_marked_not_shared_shows_nothing_even_if_standings_are_passed() -> None:
    leaked = MapRow("伴走 花子", "", False, standings_of(score(LEAFLET, all_yes_but(4))))
    assert all(row[4:] == (None, None, None, None) for row in team_map_table(LEAFLET, [leaked]).rows)


def totals(people: int, *, short_item: str | None = None) -> Totals:
    items = {
        item.code: ItemCount(people - 1 if item.code == short_item else people, people - 2, people - 3)
        for item in LEAFLET.items()
    }
    elements = {
        e.number: ElementCount(
            {Quadrant.STRENGTH: people - 3, Quadrant.PUT_INTO_PRACTICE: 1, Quadrant.START_HERE: 2}
        )
        for e in LEAFLET.elements
    }
    return Totals(people, items, elements)


def test_totals_have_a_row_per_element_and_item_for_each_shown_column_only() -> None:
    table = totals_table(
        LEAFLET,
        [TotalsColumn("pre", "事前", totals(6)), TotalsColumn("post", "事後", None)],  # 事後 withheld
    )
    assert table.name == "集計"
    assert {row[0] for row in table.rows} == {"pre"}
    assert len(table.rows) == 9 + len(LEAFLET.item_codes())
    element = next(row for row in table.rows if row[2] == "element")
    assert element == ("pre", 6, "element", "1", 6 - 3 + 1, 6 - 3)
    item = next(row for row in table.rows if row[2] == "item")
    assert item[1] == 6 and item[4:] == (4, 3)
    assert all(isinstance(row[3], str) for row in table.rows)  # codes are text


def test_a_row_over_fewer_people_than_the_group_is_left_out() -> None:
    """A row counting fewer than the column's people would be a smaller group than the rule allowed."""
    code = LEAFLET.item_codes()[5]
    table = totals_table(LEAFLET, [TotalsColumn("pre", "事前", totals(7, short_item=code))])
    assert code not in {row[3] for row in table.rows}
    assert len(table.rows) == 9 + len(LEAFLET.item_codes()) - 1


def test_no_shown_column_gives_an_empty_table_with_its_header() -> None:
    table = totals_table(LEAFLET, [TotalsColumn("pre", "事前", None)])
    assert table.rows == () and table.columns
