"""Saving one cell of a draft from possibly several tabs: a stale tab never overwrites a newer answer."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bansou.domain.drafts import NEW_CELL, Cell, Edit, Outcome, decide, is_valid_edit
from bansou.domain.framework import Axis
from tests.domain.shipped import FOUR_LEVEL, LEAFLET

PROPERTY = settings(database=None, max_examples=300, deadline=None)


def edit(value: int | None, base_revision: int, item: str = "2-1", axis: Axis = Axis.UNDERSTANDING) -> Edit:
    return Edit(item=item, axis=axis, value=value, base_revision=base_revision)


# -- decide ------------------------------------------------------------------------------------


def test_new_value_on_the_revision_the_tab_saw_is_saved() -> None:
    assert decide(Cell(value=0, revision=3), edit(1, 3)) is Outcome.SAVED


def test_first_answer_to_a_new_cell_is_saved() -> None:
    assert decide(NEW_CELL, edit(1, 0)) is Outcome.SAVED


def test_clearing_an_answer_on_the_revision_the_tab_saw_is_saved() -> None:
    assert decide(Cell(value=1, revision=2), edit(None, 2)) is Outcome.SAVED


@pytest.mark.parametrize("base_revision", [0, 4, 5, 9])
def test_same_value_is_unchanged_whatever_revision_the_tab_saw(base_revision: int) -> None:
    assert decide(Cell(value=1, revision=5), edit(1, base_revision)) is Outcome.UNCHANGED


def test_clearing_an_empty_cell_is_unchanged() -> None:
    assert decide(NEW_CELL, edit(None, 0)) is Outcome.UNCHANGED
    assert decide(Cell(value=None, revision=4), edit(None, 1)) is Outcome.UNCHANGED


def test_different_value_from_a_tab_that_saw_an_older_revision_is_a_conflict() -> None:
    assert decide(Cell(value=1, revision=4), edit(0, 3)) is Outcome.CONFLICT


def test_clearing_from_a_tab_that_saw_an_older_revision_is_a_conflict() -> None:
    assert decide(Cell(value=1, revision=2), edit(None, 1)) is Outcome.CONFLICT


def test_first_answer_from_a_tab_that_saw_the_cell_before_another_tab_answered_is_a_conflict() -> None:
    assert decide(Cell(value=0, revision=1), edit(1, 0)) is Outcome.CONFLICT


def test_edit_claiming_a_revision_newer_than_the_cell_is_not_saved() -> None:
    assert decide(Cell(value=0, revision=2), edit(1, 7)) is Outcome.CONFLICT


# -- is_valid_edit -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 1, None])
def test_valid_edit_has_a_known_item_and_a_value_on_the_scale_or_none(value: int | None) -> None:
    assert is_valid_edit(LEAFLET, edit(value, 0, item="9-10", axis=Axis.PRACTICE))


def test_edit_of_an_item_of_the_derived_sheet_is_valid() -> None:
    assert is_valid_edit(LEAFLET, edit(1, 2, item="C-9"))


@pytest.mark.parametrize("item", ["2-5", "r1", "", "2-1 ", "c-1"])
def test_edit_of_an_unknown_item_is_invalid(item: str) -> None:
    assert not is_valid_edit(LEAFLET, edit(1, 0, item=item))


@pytest.mark.parametrize("value", [2, -1, 100])
def test_edit_with_a_value_off_the_leaflet_scale_is_invalid(value: int) -> None:
    assert not is_valid_edit(LEAFLET, edit(value, 0))


@pytest.mark.parametrize(("value", "valid"), [(0, False), (1, True), (2, True), (4, True), (5, False)])
def test_edit_is_checked_against_the_scale_of_its_own_framework(value: int, valid: bool) -> None:
    assert is_valid_edit(FOUR_LEVEL, edit(value, 0, item="r1")) is valid


def test_edit_with_a_negative_base_revision_is_invalid() -> None:
    assert not is_valid_edit(LEAFLET, edit(1, -1))
    assert not is_valid_edit(LEAFLET, edit(None, -1))


# -- Two tabs, one draft -----------------------------------------------------------------------

CELLS = [("2-1", Axis.UNDERSTANDING), ("2-1", Axis.PRACTICE), ("C-9", Axis.UNDERSTANDING)]
VALUES: list[int | None] = [None, *LEAFLET.scale.values()]


@dataclass
class Tab:
    """What one tab last heard from the server, per cell."""

    seen: dict[tuple[str, Axis], Cell] = field(default_factory=dict)

    def cell(self, key: tuple[str, Axis]) -> Cell:
        return self.seen.get(key, NEW_CELL)


@dataclass(frozen=True)
class Save:
    tab: int
    cell: tuple[str, Axis]
    value: int | None


@dataclass(frozen=True)
class Reload:
    tab: int


ACTIONS = st.lists(
    st.one_of(
        st.builds(Save, st.sampled_from([0, 1]), st.sampled_from(CELLS), st.sampled_from(VALUES)),
        st.builds(Reload, st.sampled_from([0, 1])),
    ),
    max_size=40,
)


@PROPERTY
@given(ACTIONS)
def test_no_tab_ever_overwrites_a_value_it_did_not_see(actions: list[Save | Reload]) -> None:
    server: dict[tuple[str, Axis], Cell] = {}
    tabs = [Tab(), Tab()]
    saves = dict.fromkeys(CELLS, 0)
    for action in actions:
        tab = tabs[action.tab]
        if isinstance(action, Reload):
            tab.seen = dict(server)
            continue
        current = server.get(action.cell, NEW_CELL)
        seen = tab.cell(action.cell)
        change = Edit(*action.cell, value=action.value, base_revision=seen.revision)
        assert is_valid_edit(LEAFLET, change)
        outcome = decide(current, change)
        if outcome is Outcome.SAVED:
            # The value being replaced is the one this tab was shown, at the revision it was shown.
            assert current == seen
            assert action.value != current.value
            server[action.cell] = Cell(action.value, current.revision + 1)
            tab.seen[action.cell] = server[action.cell]
            saves[action.cell] += 1
        elif outcome is Outcome.UNCHANGED:
            assert current.value == action.value
            tab.seen[action.cell] = current
        else:
            assert outcome is Outcome.CONFLICT
            assert current.value != action.value
            assert current.revision != seen.revision
            # The tab keeps its stale view until it reloads, so it may try again and conflict again.
    for key in CELLS:
        assert server.get(key, NEW_CELL).revision == saves[key]


@PROPERTY
@given(ACTIONS)
def test_a_tab_that_saw_the_latest_revision_can_always_save_a_new_value(actions: list[Save | Reload]) -> None:
    server: dict[tuple[str, Axis], Cell] = {}
    for action in actions:
        if isinstance(action, Reload):
            continue
        current = server.get(action.cell, NEW_CELL)
        outcome = decide(current, Edit(*action.cell, value=action.value, base_revision=current.revision))
        assert outcome is (Outcome.UNCHANGED if action.value == current.value else Outcome.SAVED)
        if outcome is Outcome.SAVED:
            server[action.cell] = Cell(action.value, current.revision + 1)
