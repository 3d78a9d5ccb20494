"""Offline fill-in: a self-check as an xlsx to fill in without the site, and a reader that trusts none of it.

- ``writer``: the protected blank workbooks (personal, optionally with a draft's answers; a cohort's).
- ``reader``: ``peek_version``, ``read_personal``, ``read_cohort``, all or nothing: they collect every
  problem they find and raise ``FillInError``, or return the whole result.
- ``safezip``: the upload is hostile until checked; the zip is read with bounded reads and repacked (XML
  parts only) before openpyxl sees it, and active content, DTDs and links out of the file are refused.
- ``grid``: every cell the writer wrote must still say what it said; answers must be on the scale.
- ``errors``: problems are data (a ``Code`` with its parameters and place), not text; the web layer
  words them (``bansou.reports.fillin_messages.describe``).
- ``layout``: the format's names and keys, and the grid both sides work from.

Plain Python and openpyxl, no Django.
"""

from bansou.reports.fillin.errors import MAX_PROBLEMS, Code, FillInError, Problem
from bansou.reports.fillin.grid import CohortRow
from bansou.reports.fillin.layout import (
    COHORT_SHEET,
    FORMAT_ID,
    KEY_FORMAT,
    KEY_SLUG,
    KEY_VERSION,
    META_SHEET,
    PERSONAL_SHEET,
    choices_phrase,
    choices_text,
)
from bansou.reports.fillin.reader import (
    COHORT_LIMIT,
    EXTRA_CELLS,
    MAX_COLUMNS,
    PEEK_CELLS,
    PERSONAL_CELLS,
    PERSONAL_LIMIT,
    CohortSheet,
    PersonalSheet,
    peek_version,
    read_cohort,
    read_personal,
)
from bansou.reports.fillin.safezip import MAX_ENTRIES, UNPACKED_LIMIT
from bansou.reports.fillin.writer import blank_cohort, blank_personal

__all__ = [
    "COHORT_LIMIT",
    "COHORT_SHEET",
    "EXTRA_CELLS",
    "FORMAT_ID",
    "KEY_FORMAT",
    "KEY_SLUG",
    "KEY_VERSION",
    "MAX_COLUMNS",
    "MAX_ENTRIES",
    "MAX_PROBLEMS",
    "META_SHEET",
    "PEEK_CELLS",
    "PERSONAL_CELLS",
    "PERSONAL_LIMIT",
    "PERSONAL_SHEET",
    "UNPACKED_LIMIT",
    "Code",
    "CohortRow",
    "CohortSheet",
    "FillInError",
    "PersonalSheet",
    "Problem",
    "blank_cohort",
    "blank_personal",
    "choices_phrase",
    "choices_text",
    "peek_version",
    "read_cohort",
    "read_personal",
]
