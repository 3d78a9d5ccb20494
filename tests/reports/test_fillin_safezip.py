"""The hardened zip reader (fillin.safezip), through read_personal: every way a file can be too large,
not an xlsx, a bomb, encrypted, active, badly named or badly encoded is refused with one file-level
problem."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import openpyxl
import pytest

from bansou.reports import fillin
from bansou.reports.fillin import reader, safezip
from bansou.reports.fillin_messages import message
from tests.domain.shipped import LEAFLET
from tests.reports.fillin_helpers import SHEET, file_message, only, refusal, small_work
from tests.reports.hostile import make_corpus as corpus


def test_too_large() -> None:
    assert (
        file_message(b"PK\x03\x04" + bytes(fillin.PERSONAL_LIMIT)) == "ファイルが大きすぎます（上限 2 MB）。"
    )
    big = b"PK\x03\x04" + bytes(fillin.COHORT_LIMIT)
    error = refusal(lambda: fillin.read_cohort(big, LEAFLET, cohort_id="c", participants=[]))
    assert message(only(error)) == "ファイルが大きすぎます（上限 10 MB）。"


@pytest.mark.parametrize(
    ("data", "start"),
    [
        (b"", "ファイルが空です。"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "古い Excel 形式（.xls）のファイルか、"),
        ("項目コード,理解,実践\r\n2-1,はい,いいえ\r\n".encode(), "xlsx 形式のファイルではありません。"),
        ("2-1\tはい".encode("cp932"), "xlsx 形式のファイルではありません。"),
        (bytes(range(256)) * 8, "xlsx 形式のファイルではありません。"),
        (b"PK\x03\x04" + bytes(range(256)) * 8, "ファイルを読み取れませんでした。"),
        (corpus.zipped([("readme.txt", b"hello")]), "xlsx 形式のファイルではありません。"),
    ],
    ids=["empty", "xls", "csv", "cp932-text", "random", "random-pk", "plain-zip"],
)
def test_not_an_xlsx(data: bytes, start: str) -> None:
    assert file_message(data).startswith(start)


def test_truncated_xlsx() -> None:
    valid = corpus.filled()
    assert file_message(valid[: len(valid) // 2]).startswith("ファイルを読み取れませんでした。")
    assert file_message(valid[:-10]).startswith("ファイルを読み取れませんでした。")


def test_zip_bomb() -> None:
    bomb = corpus.zip_bomb(50 * 1024 * 1024)
    assert len(bomb) < fillin.PERSONAL_LIMIT
    with small_work(20):  # unpacked, it would be 50 MB
        assert file_message(bomb).startswith("圧縮を展開すると大きくなりすぎるファイルです。")


def test_total_unpacked_size_is_counted_from_real_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safezip, "UNPACKED_LIMIT", 20_000)
    assert file_message(corpus.filled()).startswith("圧縮を展開すると大きくなりすぎるファイルです。")


def test_header_sizes_are_not_trusted() -> None:
    """A central directory that understates a member's size does not raise the budget."""
    data = bytearray(corpus.zip_bomb(3 * 1024 * 1024))
    central = data.find(b"PK\x01\x02")
    while central != -1:  # claim every member is 10 bytes
        data[central + 24 : central + 28] = (10).to_bytes(4, "little")
        central = data.find(b"PK\x01\x02", central + 46)
    message = file_message(bytes(data))
    assert message.startswith(("圧縮を展開すると", "ファイルを読み取れませんでした。"))


def test_too_many_entries() -> None:
    assert file_message(corpus.many_entries(fillin.MAX_ENTRIES + 1)).startswith("圧縮を展開すると")


MACRO = "マクロや外部リンクを含むファイルは受け付けません。"


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(corpus.macro_workbook, id="xlsm-content-type"),
        pytest.param(lambda: corpus.rezip(corpus.filled(), add=[("xl/vbaProject.bin", b"x")]), id="vba"),
        pytest.param(
            lambda: corpus.rezip(corpus.filled(), add=[("xl/externalLinks/externalLink1.xml", b"<e/>")]),
            id="external-link",
        ),
        pytest.param(corpus.external_rels, id="external-relationship"),
        pytest.param(
            lambda: corpus.rezip(corpus.filled(), add=[("xl/activeX/activeX1.xml", b"<a/>")]), id="activex"
        ),
        pytest.param(
            lambda: corpus.rezip(corpus.filled(), add=[("xl/embeddings/x.bin", b"x")]), id="embedding"
        ),
        pytest.param(lambda: corpus.rezip(corpus.filled(), add=[("xl/data.bin", b"x")]), id="bin"),
    ],
)
def test_active_content(build: Callable[[], bytes]) -> None:
    assert file_message(build()).startswith(MACRO)


def test_printer_settings_and_media_are_inert_and_dropped() -> None:
    extra = [("xl/printerSettings/printerSettings1.bin", b"\x00" * 64), ("xl/media/image1.png", b"\x89PNG")]
    assert fillin.read_personal(corpus.rezip(corpus.filled(), add=extra), LEAFLET).answers


def test_hyperlinks_in_cells_are_not_external_links() -> None:
    def link(book: openpyxl.Workbook) -> None:
        book[SHEET]["E2"].hyperlink = "https://example.com/"

    assert fillin.read_personal(corpus.edited(corpus.filled(), link), LEAFLET).answers


@pytest.mark.parametrize("name", ["../../evil.xml", "/etc/evil.xml", "xl\\..\\evil.xml", "C:/evil.xml"])
def test_unsafe_member_names(name: str) -> None:
    message = file_message(corpus.rezip(corpus.filled(), add=[(name, b"<evil/>")]))
    assert message.startswith("ファイルを読み取れませんでした（中に不正な名前のファイルがあります）。")


def test_encrypted_member() -> None:
    data = corpus.set_encrypted_flag(corpus.filled(), corpus.SHEET_XML)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo(corpus.SHEET_XML).flag_bits & 0x1
    assert (
        file_message(data)
        == "暗号化されたファイルは読み取れません。パスワードを外して保存し直してから選んでください。"
    )


def test_duplicate_member() -> None:
    data = corpus.rezip(corpus.filled(), add=[(corpus.SHEET_XML, b"<worksheet/>")])
    assert file_message(data).startswith("ファイルを読み取れませんでした。")


def test_unusual_compression_method() -> None:
    parts = corpus.members(corpus.filled())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    assert file_message(out.getvalue()).startswith("ファイルを読み取れませんでした。")


@pytest.mark.parametrize(
    "sheet",
    [
        pytest.param(b"\x00\x01garbage", id="garbage"),
        pytest.param(corpus.MALFORMED_SHEET, id="malformed"),
        pytest.param(corpus.BILLION_LAUGHS, id="billion-laughs"),
        pytest.param(corpus.EXTERNAL_ENTITY, id="external-entity"),
        pytest.param(b"", id="empty"),
        pytest.param(b'<?xml version="1.0" encoding="cp500"?><worksheet/>', id="ebcdic-declared"),
    ],
)
def test_bad_sheet_xml(sheet: bytes) -> None:
    package = corpus.rezip(corpus.filled(), replace={corpus.SHEET_XML: sheet})
    with small_work(4):  # entities expanded (billion laughs) would be gigabytes
        assert file_message(package).startswith("ファイルを読み取れませんでした。")


def test_utf16_sheet() -> None:
    assert file_message(corpus.utf16_sheet()).startswith("ファイルを読み取れませんでした。")


def test_too_many_cells_are_refused_before_openpyxl_parses_them(monkeypatch: pytest.MonkeyPatch) -> None:
    data = corpus.long_row(fillin.PERSONAL_CELLS + 1)
    opened: list[object] = []

    def load_workbook(*args: object, **kwargs: object) -> None:
        opened.append(args)  # openpyxl would parse the sheets: it must not be reached

    monkeypatch.setattr(reader, "load_workbook", load_workbook)
    with small_work(4):
        assert file_message(data).startswith("セルの数が多すぎるファイルです。")
    assert opened == []
    monkeypatch.undo()
    monkeypatch.setattr(reader, "PEEK_CELLS", 100)
    error = refusal(lambda: fillin.peek_version(corpus.filled()))
    assert message(only(error)).startswith("セルの数が多すぎるファイルです。")


def test_too_many_tags_of_any_kind() -> None:
    sheet = corpus.members(corpus.filled())[corpus.SHEET_XML]
    merges = b"".join(b'<mergeCell ref="H%d:I%d"/>' % (i, i) for i in range(1, 170_000))
    sheet = sheet.replace(b"</sheetData>", b"</sheetData><mergeCells>" + merges + b"</mergeCells>")
    data = corpus.rezip(corpus.filled(), replace={corpus.SHEET_XML: sheet})
    assert file_message(data).startswith("セルの数が多すぎるファイルです。")
