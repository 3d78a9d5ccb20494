"""The report tables built from domain values, before any file format: plain asserts, no database."""

from __future__ import annotations

from bansou.domain.aggregates import ElementCount, ItemCount, Totals
from bansou.domain.coverage import label_standings_of, labels_of, standings_of
from bansou.domain.reports import MapRow, TotalsColumn, team_map_table, totals_table
from bansou.domain.scoring import Answer, Quadrant, score
from tests.domain.shipped import LEAFLET


def all_yes_but(element: int) -> dict[str, Answer]:
    """○ on both axes, except 実践 × on every item of ``element``."""
    return {item.code: Answer(1, 0 if item.element == element else 1) for item in LEAFLET.items()}


def member(name: str, roles: str, *, shared: bool = True) -> MapRow:
    result = score(LEAFLET, all_yes_but(4))
    return MapRow(name, roles, shared, standings_of(result), label_standings_of(LEAFLET, result))


def test_the_team_map_has_a_row_per_member_and_element_and_blanks_for_who_has_not_shared() -> None:
    silent = MapRow("伴走 花子", "アドバイザー", False, {})
    table = team_map_table(LEAFLET, [member("中核 一郎", "中核推進役"), silent])
    assert table.name == "チームマップ"
    assert [c.title for c in table.columns][:6] == [
        "メンバー",
        "役割",
        "共有コード",
        "単位コード",
        "エレメント番号",
        "エレメント名",
    ]
    assert len(table.rows) == 2 * (9 + 9)
    by_key = {(row[0], row[4]): row for row in table.rows if row[3] == "element"}
    four = by_key[("中核 一郎", 4)]
    items_of_four = sum(1 for item in LEAFLET.items() if item.element == 4)
    assert four[2:] == (
        "shared",
        "element",
        4,
        "データ活用力",
        None,
        None,
        items_of_four,
        0,
        items_of_four,
        "put_into_practice",
    )
    assert by_key[("中核 一郎", 1)][-1] == "strength"
    assert by_key[("伴走 花子", 1)] == (
        "伴走 花子",
        "アドバイザー",
        "not_shared",
        "element",
        1,
        "伴走支援の基本姿勢",
        None,
        None,
        None,
        None,
        None,
        None,
    )


def test_the_team_map_has_a_row_per_member_and_c_label_in_the_leaflets_words() -> None:
    table = team_map_table(LEAFLET, [member("中核 一郎", "中核推進役")])
    labels = [row for row in table.rows if row[3] == "label"]
    assert [c.title for c in table.columns][6:8] == ["C の力コード", "C の力"]
    assert [(row[6], row[7]) for row in labels] == [(label.code, label.name) for label in labels_of(LEAFLET)]
    assert [row[7] for row in labels] == [c.label for c in LEAFLET.competencies if c.tier == "C"]
    by_code = {row[6]: row for row in labels}
    assert by_code["C-5"][4:6] == (4, "データ活用力")  # a label that is an element names it
    assert by_code["C-5"][8:] == (by_code["C-5"][10], 0, by_code["C-5"][10], "put_into_practice")
    assert by_code["C-2"][4:6] == (None, None)  # a label of its own, decided by its item
    assert by_code["C-2"][8:] == (1, 1, 1, "strength")


def test_a_member_marked_not_shared_shows_nothing_even_if_standings_are_passed() -> None:
    leaked = member("伴走 花子", "", shared=False)
    rows = team_map_table(LEAFLET, [leaked]).rows
    assert len(rows) == 9 + 9
    assert all(row[8:] == (None, None, None, None) for row in rows)


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
