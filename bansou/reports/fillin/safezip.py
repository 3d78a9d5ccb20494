"""The hardened zip reader: an upload checked as an xlsx, from bounded reads, and repacked.

Nothing is decompressed before the entries are checked (count, names, encryption, active parts, methods);
each member is read in chunks against a budget and a compression ratio, since the sizes in the headers are
the file's claim; the XML parts must be UTF-8 without a DTD, hold a bounded number of cells and not link
out of the file. What passes is repacked, XML parts only, so that openpyxl never reads the upload itself.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeTree

from bansou.reports.fillin.errors import Code, FillInError, refuse

UNPACKED_LIMIT = 40 * 1024 * 1024  # total decompressed bytes allowed inside the zip
MAX_ENTRIES = 500
MAX_RATIO = 200  # a member this much larger than its compressed size ...
RATIO_FLOOR = 1024 * 1024  # ... and larger than this is a bomb
CHUNK = 64 * 1024
TAGS_PER_CELL = 8  # <c><is><t>…</t></is></c> is six; anything else in a part counts against this too

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls, and also what Excel makes of a password-protected .xlsx
ZIP_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"
_DECLARED_ENCODING = re.compile(rb"<\?xml[^>]*?\sencoding\s*=\s*[\"']([^\"']*)[\"']")
_MARKUP_DECLARATION = re.compile(rb"<!(?!--|\[CDATA\[)")  # DOCTYPE, ENTITY ...: never in OOXML
_CELL_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:c|row)[\s/>]")  # with any namespace prefix
_ACTIVE_PARTS = (
    "vbaproject",
    "activex",
    "xl/embeddings/",
    "xl/externallinks/",
    "xl/macrosheets/",
    "xl/dialogsheets/",
)
_ACTIVE_TYPES = (b"macroenabled", b"vbaproject", b"activex", b"externallink", b"macrosheet", b"oleobject")
_EPOCH = (1980, 1, 1, 0, 0, 0)


def unpack(data: bytes, limit: int, max_cells: int) -> bytes:
    """The upload checked as an xlsx and repacked, XML parts only, from bounded reads.

    ``limit`` is the size of the upload in bytes; ``max_cells`` the cell and row elements any one part may
    hold (openpyxl builds a row's cells all at once, so one row of millions of cells would cost seconds
    and a gigabyte)."""
    if len(data) > limit:
        raise refuse(Code.TOO_LARGE, mb=limit // (1024 * 1024))
    if not data:
        raise refuse(Code.EMPTY)
    if data.startswith(OLE_MAGIC):
        raise refuse(Code.OLD_XLS)
    if not data.startswith(ZIP_MAGIC):
        raise refuse(Code.NOT_XLSX)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # a truncated or mangled zip fails in many ways
        raise refuse(Code.UNREADABLE) from exc
    with archive:
        members = _read_members(archive, _check_entries(archive.infolist()))
    _check_members(members, max_cells)
    return _repack(members)


def _check_entries(infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """Refuse before decompressing anything; return the file entries to read."""
    if len(infos) > MAX_ENTRIES:
        raise refuse(Code.BOMB)
    names = [info.filename for info in infos]
    if any(_unsafe_name(name) for name in names):
        raise refuse(Code.BAD_NAME)
    if len(set(names)) != len(names):  # which of two parts would a reader take?
        raise refuse(Code.UNREADABLE)
    if any(info.flag_bits & 0x1 for info in infos):
        raise refuse(Code.ENCRYPTED)
    if any(_active_part(name) for name in names):
        raise refuse(Code.ACTIVE_CONTENT)
    files = [info for info in infos if not info.is_dir()]
    if any(info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for info in files):
        raise refuse(Code.UNREADABLE)  # Excel only deflates; other methods are only attack surface
    return files


def _unsafe_name(name: str) -> bool:
    if not name or "\x00" in name or name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        return True
    return ".." in re.split(r"[/\\]", name)


def _active_part(name: str) -> bool:
    lower = name.lower()
    if any(part in lower for part in _ACTIVE_PARTS):
        return True
    # Excel writes the printer's settings as a .bin; inert, and dropped in the repack.
    return lower.endswith(".bin") and not lower.startswith("xl/printersettings/")


def _read_members(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> dict[str, bytes]:
    members: dict[str, bytes] = {}
    total = 0
    for info in infos:
        body = _bounded_read(archive, info, UNPACKED_LIMIT - total)
        total += len(body)
        members[info.filename] = body
    return members


def _bounded_read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """A member's bytes, never more than ``budget``: the sizes in the headers are the file's claim."""
    chunks: list[bytes] = []
    size = 0
    compressed = max(info.compress_size, 1)
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > budget or (size > RATIO_FLOOR and size > MAX_RATIO * compressed):
                    raise refuse(Code.BOMB)
                chunks.append(chunk)
    except FillInError:
        raise
    except Exception as exc:  # bad CRC, bad deflate stream, header mismatch, truncation ...
        raise refuse(Code.UNREADABLE) from exc
    return b"".join(chunks)


def _check_members(members: Mapping[str, bytes], max_cells: int) -> None:
    types = members.get("[Content_Types].xml")
    if types is None or "xl/workbook.xml" not in members:
        raise refuse(Code.NOT_XLSX)
    if any(marker in types.lower() for marker in _ACTIVE_TYPES):
        raise refuse(Code.ACTIVE_CONTENT)
    if not all(_plain_xml(body) for name, body in members.items() if _is_xml(name)):
        raise refuse(Code.UNREADABLE)
    if any(_too_many_cells(body, max_cells) for name, body in members.items() if _is_xml(name)):
        raise refuse(Code.TOO_MANY_ELEMENTS)
    if any(_links_out(body) for name, body in members.items() if name.lower().endswith(".rels")):
        raise refuse(Code.ACTIVE_CONTENT)


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))


def _plain_xml(body: bytes) -> bool:
    """UTF-8 XML without a DTD: so no entity expansion, and no other encoding to hide one in."""
    body = body.removeprefix(UTF8_BOM)
    head = body[:200].lstrip()
    if not head.startswith(b"<"):
        return False
    declared = _DECLARED_ENCODING.match(head)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        return False
    return _MARKUP_DECLARATION.search(body) is None


def _too_many_cells(body: bytes, limit: int) -> bool:
    """Whether a part has more cells and rows than ``limit``, or more tags than such cells would need."""
    if body.count(b"<") > TAGS_PER_CELL * limit:
        return True
    return any(count > limit for count, _ in enumerate(_CELL_ELEMENT.finditer(body), start=1))


def _links_out(rels: bytes) -> bool:
    """Whether a relationships part points outside the file, other than a hyperlink in a cell."""
    try:
        # _plain_xml has refused any DTD already; defusedxml refuses entities and DTDs again.
        root = SafeTree.fromstring(rels)
    except (SafeTree.ParseError, DefusedXmlException) as exc:
        raise refuse(Code.UNREADABLE) from exc
    for element in root.iter():
        if element.tag.rpartition("}")[2] != "Relationship":
            continue
        if element.get("TargetMode", "").lower() == "external" and not element.get("Type", "").endswith(
            "/hyperlink"
        ):
            return True
    return False


def _repack(members: Mapping[str, bytes]) -> bytes:
    """A fresh zip of the XML parts, so openpyxl never reads the uploaded archive itself."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, body in members.items():
            if _is_xml(name):
                archive.writestr(zipfile.ZipInfo(name, date_time=_EPOCH), body)
    return out.getvalue()
