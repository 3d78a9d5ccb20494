"""The hostile corpus: small files that ``read_personal`` and ``read_cohort`` must both refuse.

Regenerate with ``.venv/bin/python tests/reports/hostile/make_corpus.py`` after changing the writer in
``bansou/reports/fillin/``; the output is deterministic (fixed zip timestamps and document dates, seeded
randomness), and ``tests/reports/test_fillin_hostile.py`` checks that the checked-in files are current. The
builders here are also what the tests use to make hostile variants of a fresh file.
"""

from __future__ import annotations

import io
import random
import re
import struct
import sys
import warnings
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
if __name__ == "__main__":  # run as a script: make the repository importable
    sys.path.insert(0, str(HERE.parents[2]))

from bansou.domain.framework import Framework  # noqa: E402
from bansou.reports import fillin  # noqa: E402
from tests.domain.shipped import LEAFLET  # noqa: E402

EPOCH = (1980, 1, 1, 0, 0, 0)
SHEET_XML = "xl/worksheets/sheet1.xml"
FIXED_DATE = b"2025-04-01T00:00:00Z"
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".bin")

# Zip surgery ----------------------------------------------------------------------------------------


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def zipped(entries: Iterable[tuple[str, bytes]], compresslevel: int = 6) -> bytes:
    """A zip of ``entries`` in order, with fixed timestamps (duplicates allowed, on purpose)."""
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as archive:
            for name, body in entries:
                info = zipfile.ZipInfo(name, date_time=EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, body)
    return out.getvalue()


def rezip(
    data: bytes,
    replace: Mapping[str, bytes] | None = None,
    add: Iterable[tuple[str, bytes]] = (),
    compresslevel: int = 6,
) -> bytes:
    """``data`` with some members replaced and others added, timestamps and document dates fixed."""
    entries = []
    for name, body in members(data).items():
        body = (replace or {}).get(name, body)
        if name == "docProps/core.xml":
            body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_DATE, body)
        entries.append((name, body))
    return zipped([*entries, *add], compresslevel)


def set_encrypted_flag(data: bytes, member: str) -> bytes:
    """Mark one member as encrypted in its local and central headers (zipfile cannot write encryption)."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(member).header_offset
    out[local + 6] |= 0x01
    name = member.encode()
    central = out.find(b"PK\x01\x02")
    while central != -1:
        length = struct.unpack_from("<H", out, central + 28)[0]
        if out[central + 46 : central + 46 + length] == name:
            out[central + 8] |= 0x01
        central = out.find(b"PK\x01\x02", central + 46)
    return bytes(out)


# Workbook edits ---------------------------------------------------------------------------------------


def edited(data: bytes, change: Callable[[openpyxl.Workbook], None]) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data))
    change(book)
    out = io.BytesIO()
    book.save(out)
    return rezip(out.getvalue())


def with_cells(data: bytes, cells: Mapping[str, object], sheet: str = fillin.PERSONAL_SHEET) -> bytes:
    """``data`` with cells set as openpyxl sets them (a string starting with = becomes a formula)."""

    def change(book: openpyxl.Workbook) -> None:
        for coordinate, value in cells.items():
            book[sheet][coordinate] = value  # type: ignore[assignment]  # anything, on purpose

    return edited(data, change)


def with_metadata(data: bytes, key: str, value: str) -> bytes:
    def change(book: openpyxl.Workbook) -> None:
        sheet = book[fillin.META_SHEET]
        for row in sheet.iter_rows(min_row=2):
            if row[0].value == key:
                row[1].value = value

    return edited(data, change)


def without_row(data: bytes, row: int, sheet: str = fillin.PERSONAL_SHEET) -> bytes:
    return edited(data, lambda book: book[sheet].delete_rows(row))


def without_sheet(data: bytes, sheet: str) -> bytes:
    return edited(data, lambda book: book.remove(book[sheet]))


# The files ------------------------------------------------------------------------------------------


def blank(framework: Framework = LEAFLET) -> bytes:
    return rezip(fillin.blank_personal(framework))


def filled(framework: Framework = LEAFLET) -> bytes:
    """A valid personal file with a few answers typed in."""
    labels = [level.label for level in framework.scale.levels]
    return with_cells(blank(framework), {"E2": labels[-1], "F2": labels[0], "E3": labels[0]})


def zip_bomb(size: int) -> bytes:
    """A valid file whose first sheet is ``size`` zero bytes, deflated as hard as zlib can."""
    return rezip(filled(), replace={SHEET_XML: bytes(size)}, compresslevel=9)


def many_entries(count: int) -> bytes:
    """The two parts that make a zip look like an xlsx, plus empty members: ``count`` entries in all."""
    parts = [(name, body) for name, body in members(filled()).items() if name in REQUIRED_PARTS]
    return zipped(parts + [(str(i), b"") for i in range(count - len(parts))])


def macro_workbook() -> bytes:
    parts = members(filled())
    types = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    types = types.replace(
        b"</Types>",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    return rezip(filled(), replace={"[Content_Types].xml": types}, add=[("xl/vbaProject.bin", b"\xcc" * 64)])


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="2"><c r="E2" t="inlineStr"><is><t>&lol9;</t></is></c></row>
</sheetData></worksheet>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="2"><c r="E2" t="inlineStr"><is><t>&xxe;</t></is></c></row>
</sheetData></worksheet>
"""
MALFORMED_SHEET = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="x"><c r="E2" t="n"><v>abc</v></c>'
)
EXTERNAL_RELS = (
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'externalLinkPath" Target="file:///C:/secret.xlsx" TargetMode="External"/></Relationships>'
)


def long_row(count: int) -> bytes:
    """A valid file whose first sheet is one row of ``count`` cells without references (A, B, ... on)."""
    cells = b"<c><v>1</v></c>" * count
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="2">' + cells + b"</row></sheetData></worksheet>"
    )
    return rezip(filled(), replace={SHEET_XML: sheet}, compresslevel=9)


def utf16_sheet() -> bytes:
    sheet = members(filled())[SHEET_XML].decode("utf-8")
    body = '<?xml version="1.0" encoding="UTF-16"?>' + re.sub(r"^<\?xml[^>]*\?>", "", sheet)
    return rezip(filled(), replace={SHEET_XML: body.encode("utf-16")})


def external_rels() -> bytes:
    rels = members(filled())["xl/_rels/workbook.xml.rels"]
    extra = EXTERNAL_RELS.split(b">", 1)[1].replace(b"</Relationships>", b"")
    return rezip(
        filled(),
        replace={
            "xl/_rels/workbook.xml.rels": rels.replace(b"</Relationships>", extra + b"</Relationships>")
        },
    )


def cohort() -> bytes:
    data = fillin.blank_cohort(
        LEAFLET, cohort_id="other", cohort_name="別の研修", participants=[("P1", "山田")]
    )
    labels = [level.label for level in LEAFLET.scale.levels]
    cells = {f"{openpyxl.utils.get_column_letter(col)}2": labels[-1] for col in range(3, 3 + 2 * 45)}
    return with_cells(rezip(data), cells, sheet=fillin.COHORT_SHEET)


def corpus() -> dict[str, bytes]:
    """Every hostile file, by name."""
    seeded = random.Random(20250401)
    valid = filled()
    return {
        "empty.xlsx": b"",
        "random.xlsx": seeded.randbytes(4096),
        "random-pk.xlsx": b"PK\x03\x04" + seeded.randbytes(4092),
        "text.csv": "項目コード,理解,実践\r\n2-1,はい,いいえ\r\n".encode("utf-8-sig"),
        "old.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        "plain.zip.xlsx": zipped([("readme.txt", "はい".encode())]),
        "truncated.xlsx": valid[: len(valid) // 2],
        "zip-bomb.xlsx": zip_bomb(5 * 1024 * 1024),
        "many-entries.xlsx": many_entries(fillin.MAX_ENTRIES + 1),
        "macro.xlsm": macro_workbook(),
        "vba-project.xlsx": rezip(valid, add=[("xl/vbaProject.bin", b"\xcc" * 64)]),
        "external-link.xlsx": rezip(valid, add=[("xl/externalLinks/externalLink1.xml", b"<externalLink/>")]),
        "external-rels.xlsx": external_rels(),
        "activex.xlsx": rezip(valid, add=[("xl/activeX/activeX1.xml", b"<ax/>")]),
        "embedding.xlsx": rezip(valid, add=[("xl/embeddings/oleObject1.xml", b"<o/>")]),
        "traversal.xlsx": rezip(valid, add=[("../../evil.xml", b"<evil/>")]),
        "absolute.xlsx": rezip(valid, add=[("/etc/evil.xml", b"<evil/>")]),
        "duplicate-member.xlsx": rezip(valid, add=[(SHEET_XML, b"<worksheet/>")]),
        "encrypted.xlsx": set_encrypted_flag(valid, SHEET_XML),
        "garbage-sheet.xlsx": rezip(valid, replace={SHEET_XML: seeded.randbytes(2048)}),
        "malformed-sheet.xlsx": rezip(valid, replace={SHEET_XML: MALFORMED_SHEET}),
        "billion-laughs.xlsx": rezip(valid, replace={SHEET_XML: BILLION_LAUGHS}),
        "external-entity.xlsx": rezip(valid, replace={SHEET_XML: EXTERNAL_ENTITY}),
        "utf16-sheet.xlsx": utf16_sheet(),
        "long-row.xlsx": long_row(fillin.MAX_COLUMNS + 100),
        "many-cells.xlsx": long_row(fillin.PEEK_CELLS + 1),
        "missing-workbook.xlsx": zipped((n, b) for n, b in members(valid).items() if n != "xl/workbook.xml"),
        "missing-metadata.xlsx": without_sheet(valid, fillin.META_SHEET),
        "no-answers.xlsx": blank(),
        "formula.xlsx": with_cells(valid, {"E4": "=1+0"}),
        "other-version.xlsx": with_metadata(valid, fillin.KEY_VERSION, "2024.1"),
        "other-format.xlsx": with_metadata(valid, fillin.KEY_FORMAT, "something-else"),
        "edited-name.xlsx": with_cells(valid, {"C3": "書き換えた項目名"}),
        "outside.xlsx": with_cells(valid, {"H2": "メモ"}),
        "wide-row.xlsx": with_cells(valid, {"XFD2": "はい"}),
        "far-away.xlsx": with_cells(valid, {"XFD1048576": "はい"}),
        "deleted-row.xlsx": without_row(valid, 5),
        "bad-value.xlsx": with_cells(valid, {"E5": "たぶん"}),
        "boolean.xlsx": with_cells(valid, {"E5": True}),
        "cohort.xlsx": cohort(),
    }


def is_corpus_file(path: Path) -> bool:
    return path.is_file() and path.name.endswith(SUFFIXES)


def main() -> None:
    for path in HERE.iterdir():
        if is_corpus_file(path):
            path.unlink()
    for name, data in corpus().items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
