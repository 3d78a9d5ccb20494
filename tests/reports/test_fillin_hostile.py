"""The hostile corpus (tests/reports/hostile, see make_corpus.py there) refused by both readers and kept
current with the writer; and fuzzing: random bytes, mutated files and parts, random cell values."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from bansou.reports import fillin
from bansou.reports.fillin import FillInError
from tests.domain.shipped import LEAFLET
from tests.reports.fillin_helpers import refusal
from tests.reports.hostile import make_corpus as corpus

HOSTILE = Path(corpus.__file__).parent
HOSTILE_FILES = sorted(path for path in HOSTILE.iterdir() if corpus.is_corpus_file(path))
FUZZ = settings(max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("path", HOSTILE_FILES, ids=lambda path: path.name)
def test_hostile_file_is_refused_by_both_readers(path: Path) -> None:
    data = path.read_bytes()
    assert len(data) <= 60_000
    refusal(lambda: fillin.read_personal(data, LEAFLET))
    refusal(lambda: fillin.read_cohort(data, LEAFLET, cohort_id="hostile", participants={"P1", "P2"}))


def test_hostile_corpus_is_current_and_deterministic() -> None:
    first, second = corpus.corpus(), corpus.corpus()
    assert first == second
    assert sorted(first) == [path.name for path in HOSTILE_FILES]
    for path in HOSTILE_FILES:
        # Compare unpacked parts where both open as zips: deflate output may differ between zlib builds.
        expected, found = first[path.name], path.read_bytes()
        assert _parts_or_bytes(expected) == _parts_or_bytes(found), path.name


def _parts_or_bytes(data: bytes) -> Mapping[str, bytes] | bytes:
    try:
        return corpus.members(data)
    except Exception:
        return data


# Fuzzing ------------------------------------------------------------------------------------------

_valid: dict[str, bytes] = {}


def valid() -> bytes:
    if "file" not in _valid:
        _valid["file"] = corpus.filled()
    return _valid["file"]


def check_outcome(data: bytes) -> None:
    """Either a personal sheet whose answers are all on the scale, or a FillInError; nothing else."""
    try:
        sheet = fillin.read_personal(data, LEAFLET)
    except FillInError:
        pass  # FillInError itself guarantees at least one problem
    else:
        assert sheet.answers and set(sheet.answers) <= set(LEAFLET.item_codes())
        values = set(LEAFLET.scale.values())
        assert all(value is None or value in values for pair in sheet.answers.values() for value in pair)
        assert all(pair != (None, None) for pair in sheet.answers.values())
    with contextlib.suppress(FillInError):
        fillin.read_cohort(data, LEAFLET, cohort_id="c", participants={"P1"})
    try:
        slug, version = fillin.peek_version(data)
    except FillInError:
        pass
    else:
        assert isinstance(slug, str) and isinstance(version, str)


@FUZZ
@given(st.binary(max_size=4096) | st.binary(max_size=4096).map(lambda tail: b"PK\x03\x04" + tail))
def test_fuzz_arbitrary_bytes(data: bytes) -> None:
    refusal(lambda: fillin.read_personal(data, LEAFLET))
    refusal(lambda: fillin.peek_version(data))


Edit = tuple[str, int, int]  # (operation, position, byte)
edits = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete", "set"]), st.integers(0, 1 << 20), st.integers(0, 255)
    ),
    min_size=1,
    max_size=6,
)


def mutate(data: bytes, operations: list[Edit]) -> bytes:
    out = bytearray(data)
    for operation, position, byte in operations:
        index = position % (len(out) + 1)
        if operation == "insert":
            out.insert(index, byte)
        elif out and index < len(out):
            if operation == "delete":
                del out[index]
            elif operation == "flip":
                out[index] ^= 1 << (byte % 8)
            else:
                out[index] = byte
    return bytes(out)


@FUZZ
@given(edits)
def test_fuzz_mutated_file_bytes(operations: list[Edit]) -> None:
    check_outcome(mutate(valid(), operations))


TOKENS = [
    b"<c><v>1</v></c>",
    b'<c r="XFD1048576"><v>1</v></c>',
    b'<c r="AAAA1"/>',
    b'<row r="99999999">',
    b"<!DOCTYPE x>",
    b'"',
    b"<",
    b">",
    b"/>",
    b"</c>",
    b'r="E2"',
    b'r="Q9"',
    b't="s"',
    b't="b"',
    b't="e"',
    b"<f>1</f>",
    b"&amp;",
    b"\x00",
]


@FUZZ
@given(
    member=st.sampled_from(sorted(corpus.members(corpus.filled()))),
    operations=edits,
    tokens=st.lists(st.tuples(st.integers(0, 1 << 20), st.sampled_from(TOKENS)), max_size=3),
)
def test_fuzz_mutated_parts_inside_a_valid_zip(
    member: str, operations: list[Edit], tokens: list[tuple[int, bytes]]
) -> None:
    parts = corpus.members(valid())
    body = mutate(parts[member], operations)
    for position, token in tokens:
        index = position % (len(body) + 1)
        body = body[:index] + token + body[index:]
    check_outcome(corpus.zipped({**parts, member: body}.items()))


cell_values = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["はい", "いいえ", "１", "○", "×", "=1", "2-1", "TRUE"]),
    st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
coordinates = st.tuples(st.integers(1, 50), st.integers(1, 9)).map(
    lambda rc: f"{get_column_letter(rc[1])}{rc[0]}"
)


@settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(coordinates, cell_values, min_size=1, max_size=6))
def test_fuzz_cell_values(cells: dict[str, object]) -> None:
    cells = {coordinate: value for coordinate, value in cells.items() if not _illegal(value)}
    check_outcome(corpus.with_cells(valid(), cells))


def _illegal(value: object) -> bool:
    """Control characters openpyxl itself refuses to write."""
    return isinstance(value, str) and any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value)
