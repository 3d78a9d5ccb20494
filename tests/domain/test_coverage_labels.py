"""The table's labels as the team rules read them, against the shipped leaflet's data.

The C rule is one rule per C label (nine); a label is practised when its row on the second sheet is ○
on 実践. Four of the labels are elements (1, 4, 5, 8): the rule reads the element's standing, which
is the same answer because each of those elements has exactly one item, the label's own row. The A
rule (every member understands every A label) reads the tier-A items understood: the same thing,
because the tier-A items are exactly the A labels' rows. No Django, no database.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bansou.domain.coverage import (
    label_standing,
    label_standings_of,
    labels_of,
    profile_of,
    standings_of,
)
from bansou.domain.framework import Axis
from bansou.domain.scoring import Answer, score
from tests.domain.shipped import FOUR_LEVEL, LEAFLET

PROPERTY = settings(database=None, max_examples=60, deadline=None)

C_NAMES = [
    "伴走支援の基本姿勢",
    "チームで進めるための基礎的な理解",
    "実践的な対人スキル",
    "協働するスキル",
    "データ活用力",
    "事例判断力",
    "プロジェクト推進力",
    "解決策に関わる知識・ノウハウ",
    "伴走支援チームの役割理解",
]


def test_the_leaflet_has_nine_c_labels_in_the_tables_order_keyed_by_their_rows_on_the_second_sheet() -> None:
    labels = labels_of(LEAFLET)
    assert [label.code for label in labels] == [f"C-{n}" for n in range(1, 10)]
    assert [label.name for label in labels] == C_NAMES
    assert [label.name for label in labels] == [c.label for c in LEAFLET.competencies if c.tier == "C"]
    assert [label.power for label in labels] == [1, 1, 1, 1, 2, 2, 2, 3, 3]
    assert {label.code: label.element for label in labels if label.element} == {
        "C-1": 1,
        "C-5": 4,
        "C-6": 5,
        "C-8": 8,
    }
    assert all(label.items == (label.code,) for label in labels)


def test_each_c_element_has_one_item_and_it_is_its_labels_own_row() -> None:
    """Why reading the element's standing and reading the label's row are the same answer."""
    by_code = {item.code: item for item in LEAFLET.items()}
    for label in labels_of(LEAFLET):
        row = by_code[label.code]
        assert (row.name, row.tier, row.power) == (label.name, "C", label.power)
        if label.element is not None:
            assert LEAFLET.element(label.element).tier == "C"
            assert [i.code for i in LEAFLET.items() if i.element == label.element] == [label.code]
    assert sorted(e.number for e in LEAFLET.elements if e.tier == "C") == [1, 4, 5, 8]


def test_the_a_labels_are_exactly_the_tier_a_items() -> None:
    """So "every member understands every A label" is "understands every tier-A item" (the A rule)."""
    a_labels = labels_of(LEAFLET, "A")
    assert [label.name for label in a_labels] == [c.label for c in LEAFLET.competencies if c.tier == "A"]
    assert [code for label in a_labels for code in label.items] == [
        item.code for item in LEAFLET.items() if item.tier == "A"
    ]
    assert [label.code for label in a_labels] == [f"A-{n}" for n in range(1, 8)]


ANSWERS = st.fixed_dictionaries(
    {
        code: st.builds(Answer, understanding=st.sampled_from((0, 1)), practice=st.sampled_from((0, 1)))
        for code in LEAFLET.item_codes()
    }
)


@PROPERTY
@given(ANSWERS)
def test_a_label_is_practised_exactly_when_its_row_is_yes_and_agrees_with_its_element(
    answers: dict[str, Answer],
) -> None:
    result = score(LEAFLET, answers)
    labels = label_standings_of(LEAFLET, result)
    elements = standings_of(result)
    assert sorted(labels) == [f"C-{n}" for n in range(1, 10)]
    for label in labels_of(LEAFLET):
        standing = labels[label.code]
        assert standing.practised == (answers[label.code].practice == 1)
        assert standing.understood == (answers[label.code].understanding == 1)
        if label.element is not None:
            assert standing == elements[label.element]
    profile = profile_of("hanako", [], result, LEAFLET)
    assert profile.labels == labels
    understood_every_a_label = all(answers[c].understanding == 1 for c in ("A-1", "A-2", "A-3", "A-4"))
    understood_every_a_label &= all(answers[c].understanding == 1 for c in ("A-5", "A-6", "A-7"))
    assert profile.basics is not None
    assert (profile.basics.count == profile.basics.total) == understood_every_a_label
    assert profile.basics == result.of_tier("A", Axis.UNDERSTANDING)


def test_a_check_on_another_framework_has_no_standing_on_the_leaflets_labels() -> None:
    other = score(FOUR_LEVEL, {code: Answer(4, 4) for code in FOUR_LEVEL.item_codes()})
    assert [label_standing(label, other.placed) for label in labels_of(LEAFLET)] == [None] * 9
    assert label_standings_of(LEAFLET, other) == {}
    # The variant's one tier-"team" label is an element with two tiers named otherwise: no C labels.
    assert labels_of(FOUR_LEVEL) == ()
