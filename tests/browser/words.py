"""No English on screen: the Latin words a page or a downloaded file may show, and the check itself.

The pages and files are for Japanese municipal staff; a Latin word on them is a label nobody
translated (a model's verbose name, a form's "---------", a code where a name should be). The few
that belong are listed in ALLOWED, each with its reason; words the test itself typed (a login ID)
are allowed by the `Visit` that saw them typed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import PurePosixPath

import openpyxl

from bansou.invitations.codes import ALPHABET

ALLOWED = frozenset(
    {
        # File formats, named as the people who use them name them.
        "PDF",
        "Excel",
        "CSV",
        "xlsx",
        "JSON",
        # 「ログインID」「IP アドレス」 and file sizes in 「MB」, written as Japanese writes them.
        "ID",
        "IP",
        "MB",
        # The leaflet's own letters for its tiers (A基礎知識…, B中核推進役…, C チーム全体…) and the
        # A4 paper size; the コード表 explains the codes that use them.
        "A",
        "B",
        "C",
        "A4",
        # The application's name.
        "bansou",
    }
)

# The character encodings of the CSV files, named as Excel's own save dialog and Japanese systems
# name them (「CSV UTF-8」); removed whole before looking for words.
ENCODINGS = ("UTF-8", "Shift_JIS", "CP932")
# The bundled 市町村 list's source, cited by its own names (bansou.places.services.BUNDLED_SOURCE:
# the code4fukui/localgovjp data set, after the lists of 国土地理院 and J-LIS).
CITED = ("code4fukui/localgovjp", "J-LIS")

# Removed before looking for words, being no words: web addresses, e-mail-like login IDs, file names
# (…-2026.xlsx), ids (a check's UUID), times in ISO 8601 (the files' 提出日時: 2026-04-01T09:00:00+09:00)
# and invitation codes in their written form (ABCD-EFGH-JKMN, or five groups for a feedback link's long
# code: bansou.invitations.codes), shown to be read out or copied, and cell references (A1, D12: how
# Excel names a cell, in the messages about an uploaded sheet).
_NOT_WORDS = re.compile(
    "|".join(
        (
            r"https?://\S+",
            r"(?<!\w)/[\w./?=&%#:+-]+",
            r"[\w.+-]+@[\w.-]+",
            r"[\w.-]+\.(?:xlsx|csv|pdf|json)\b",
            r"(?<![0-9a-z])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-z])",
            r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2})?(?:[+-][0-9]{2}:[0-9]{2}|Z)?",
        )
    ),
    re.IGNORECASE,
)
_CODES = re.compile(
    r"(?<![0-9A-Za-z-])(?:[0-9A-Z]{4}(?:-[0-9A-Z]{4}){2,4}|[A-Z]{1,2}[1-9][0-9]{0,4})(?![0-9A-Za-z-])"
    # a code recalled by its last four characters: 「有効な参加コードがあります（末尾 KKPW）」
    rf"|(?<=末尾 )[{ALPHABET}]{{4}}(?![0-9A-Za-z])"
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
DASHES = "---------"


def latin_words(text: str, typed: Iterable[str] = ()) -> list[str]:
    """The Latin words in `text` that are neither allowed nor typed by the test, and any "---------"."""
    found = [DASHES] if DASHES in text else []
    for token in sorted({*typed, *ENCODINGS, *CITED}, key=len, reverse=True):
        text = text.replace(token, " ")
    text = _CODES.sub(" ", _NOT_WORDS.sub(" ", text))
    found += [word for word in _WORD.findall(text) if word not in ALLOWED]
    return found


# What a person sees on the page as it is now: the text, and the words in attributes that are shown
# or read out (a button's value, a field's placeholder, a link's title, an image's alt, the options
# of a select, which innerText leaves out when the select is closed).
VISIBLE_TEXT = """() => {
  const out = [document.title, document.body ? document.body.innerText : ""];
  const shown = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  for (const el of document.querySelectorAll("[placeholder], [aria-label], [title], [alt]")) {
    for (const name of ["placeholder", "aria-label", "title", "alt"]) {
      const value = el.getAttribute(name);
      if (value) out.push(value);
    }
  }
  for (const el of document.querySelectorAll("input, textarea")) {
    const unseen = ["hidden", "password", "checkbox", "radio", "file"].includes(el.type);
    if (!unseen && shown(el) && el.value) out.push(el.value);
  }
  for (const el of document.querySelectorAll("option")) out.push(el.textContent);
  return out.join("\\n");
}"""


def is_code_column(header: object) -> bool:
    """A column of codes or ids for machines and sorting (項目コード, 軸コード, the コード表's コード,
    回答者ID): a code's words are in the コード表 and in a column beside it."""
    return isinstance(header, str) and header.endswith(("コード", "ID"))


# The fill-in workbook's メタデータ keys whose values are identifiers read back on import (its 様式
# "bansou-fillin-1", its フレームワークID "leaflet"); the row beside them says the same in words.
IDENTIFIER_KEYS = ("様式",)


def _cells(rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The text of every cell, but for codes: the values under a code column's header, and in a
    key/value sheet (メタデータ) the value of an identifier's key."""
    codes: set[int] = set()
    for number, row in enumerate(rows):
        if number == 0:
            codes = {i for i, header in enumerate(row) if is_code_column(header)}
        key = row[0] if row else None
        identifier = number > 0 and (is_code_column(key) or key in IDENTIFIER_KEYS)
        for i, value in enumerate(row):
            if value is None or isinstance(value, (int, float)):
                continue
            if number > 0 and (i in codes or (identifier and i == 1)):
                continue
            yield str(value)


def file_text(name: str, content: bytes) -> str | None:
    """Every cell of a downloaded xlsx or CSV as text, one per line; None for other files."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".xlsx":
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        lines = [sheet.title for sheet in book.worksheets]
        for sheet in book.worksheets:
            lines += _cells(sheet.iter_rows(values_only=True))
        return "\n".join(lines)
    if suffix == ".csv":
        return "\n".join(_cells(csv.reader(io.StringIO(content.decode("utf-8-sig")))))
    return None
