"""Hostile request bodies (hypothesis strategies) for ``tests/test_hostile_bodies.py``.

Every body is meant to be refused: field names are the endpoint's own and the application's (so that
forms see them), values are hostile (odd Unicode, numbers and dates out of range, choices that do not
exist, text far too long), and one of the form's fields carries a NUL character, which no text, number,
date, choice or id field accepts; JSON is of the wrong shape or nested too deep; some bodies cannot be
read at all (too large, too many fields, bytes that are not UTF-8, another charset).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

PERSONAS = ("anonymous", "rater", "supporter", "lead", "member", "staff", "admin")
SIGNED_OUT = ("anonymous", "rater")  # the rater holds a feedback link in their session
TOO_LARGE = "x" * 2_700_000  # over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)


def field_names() -> list[str]:
    """The names of the fields of every form of the application (and of Django's sign-in forms)."""
    names: set[str] = set()
    pending: list[type] = [forms.Form, forms.ModelForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith(("bansou.", "django.contrib.auth.forms")):
            names.update(getattr(cls, "base_fields", {}))
    # The sheet's cells (a-<item>-<axis>, b-<item>-<axis>) and names views read themselves.
    names.update({"a-2-1-understanding", "b-2-1-understanding", "a-2-1-practice", "next", "phase"})
    return sorted(names)


NASTY = [
    "",
    " ",
    "\x00",
    "2-1\x00",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "-1",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "-Infinity",
    "0x10",
    "1900-01-01\x00",
    "0000-00-00",
    "9999-12-31",
    "2025-02-30",
    "10000-01-01",
    "\u202e\u200b\ufeff",
    "𠮷野家\u0301\u0301",
    "null",
    "[]",
    "%00",
    "6f1c2a4e-0000-4000-8000-000000000000",
]


def poisoned_text() -> st.SearchStrategy[str]:
    """A value with a NUL character: no text, number, date, choice or id field accepts it."""
    short = st.tuples(st.text(max_size=30), st.text(max_size=10)).map(lambda t: t[0] + "\x00" + t[1])
    long_text = st.integers(min_value=2_000, max_value=60_000).map(lambda n: "あ\x00" * n)
    return st.one_of(short, long_text)


def hostile_text() -> st.SearchStrategy[str]:
    """Any hostile value: odd strings, numbers and dates out of range, random Unicode, NULs."""
    return st.one_of(st.sampled_from(NASTY), st.text(max_size=40), poisoned_text())


@dataclass(frozen=True)
class Field:
    name: str
    boolean: bool  # a lone checkbox (a BooleanField): any value is a valid one


def form_pairs(names: list[str], fields: tuple[Field, ...]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Every field of the endpoint's form (as its pages show it) with a hostile value, some other
    fields of the application's names, and last (so that it is the value a form reads) one of the
    form's fields again with a NUL: the body is invalid by design. With no form known, every value
    carries a NUL."""
    own = tuple(f for f in fields if f.name != "csrfmiddlewaretoken")
    poisonable = sorted(f.name for f in own if not f.boolean)
    page = st.tuples(*(st.tuples(st.just(f.name), hostile_text()) for f in own))
    name = st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=20))
    extra_value = hostile_text() if poisonable else poisoned_text()
    extra = st.lists(st.tuples(name.filter(lambda n: n != "csrfmiddlewaretoken"), extra_value), max_size=6)
    poison = st.tuples(st.sampled_from(poisonable), poisoned_text()) if poisonable else st.none()
    return st.builds(
        lambda page_pairs, extra_pairs, last: [*page_pairs, *extra_pairs, *([last] if last else [])],
        page,
        extra,
        poison,
    )


def urlencoded(pairs: list[tuple[str, str]]) -> bytes:
    return "&".join(f"{quote(k)}={quote(v)}" for k, v in pairs).encode()


RAW_FORMS = [  # each followed by the endpoint's fields (``form_pairs``)
    b"%ZZ=%FF%FE&=&&==&a",  # broken percent escapes, not UTF-8, empty names
    b"&".join(b"f=1" for _ in range(1_100)),  # more fields than Django reads (1,000)
    ("note=" + TOO_LARGE).encode(),  # a body over the limit
]


def json_bodies() -> st.SearchStrategy[bytes]:
    """JSON of the wrong shape or types, nested too deep, with repeated keys, huge numbers, or not
    JSON at all."""
    leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), hostile_text())
    tree = st.recursive(
        leaf,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=12,
    )
    shaped = st.fixed_dictionaries({"edits": tree}).map(lambda d: json.dumps(d).encode())
    item = st.one_of(
        st.sampled_from(["2-1", "2-1\x00", "2-1\n", "9-99", "", "2-1 "]), poisoned_text(), st.text(max_size=8)
    )
    value = st.one_of(st.integers(min_value=2), st.integers(max_value=-1), st.just(10**30))  # not 0 or 1
    revision = st.one_of(st.integers(), st.just(2**80), st.just(-(2**80)))

    def edit(axis: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, object]]:
        """The shape of an edit, its value out of range (so that no edit can be saved)."""
        return st.fixed_dictionaries({"item": item, "axis": axis, "value": value, "base_revision": revision})

    good_axis = st.sampled_from(["practice", "understanding"])  # so that the other values reach the database
    any_axis = st.sampled_from(["practice", "understanding", "PRACTICE", "", "practice\x00"])
    edits = st.one_of(
        st.lists(edit(good_axis), min_size=1, max_size=5), st.lists(edit(any_axis), min_size=1, max_size=600)
    ).map(lambda e: json.dumps({"edits": e}).encode())
    deep = st.integers(min_value=900, max_value=5_000).map(lambda n: b"[" * n + b"]" * n)
    deep_objects = st.integers(min_value=900, max_value=5_000).map(lambda n: b'{"edits":' * n + b"}" * n)
    raw = st.sampled_from(
        [
            b'{"edits": [], "edits": [{"item": "2-1"}]}',
            b'{"edits": [{"item": "2-1", "axis": "practice", "value": '
            + b"9" * 5_000
            + b', "base_revision": 0}]}',
            b'{"edits": [{"item": "2-1", "axis": "practice", "value": 1e999, "base_revision": NaN}]}',
            b"\xff\xfe\x00{",
            b"",
            TOO_LARGE.encode(),
        ]
    )
    return st.one_of(
        edits, edits, tree.map(lambda v: json.dumps(v).encode()), shaped, deep, deep_objects, raw
    )


@dataclass(frozen=True)
class Body:
    """What is posted: raw bytes with a content type, or (multipart) fields and files."""

    content_type: str
    raw: bytes | None = None
    fields: dict[str, object] | None = None

    def describe(self) -> str:
        size = len(self.raw) if self.raw is not None else len(str(self.fields))
        return f"{self.content_type} ({size} bytes)"


def multipart(pairs: list[tuple[str, str]], upload: bytes) -> Body:
    fields: dict[str, object] = {}
    for name, value in pairs:
        fields.setdefault(name, []).append(value)  # type: ignore[union-attr]
    fields["file"] = SimpleUploadedFile("回答.xlsx", upload, content_type="application/vnd.ms-excel")
    return Body("multipart/form-data", fields=fields)


def bodies(names: list[str], fields: tuple[Field, ...], *, json_endpoint: bool) -> st.SearchStrategy[Body]:
    """Form-encoded (the endpoint's fields, or bodies that cannot be read), multipart with a junk
    upload, JSON, and other content types; mostly JSON for an endpoint that reads JSON."""
    form = "application/x-www-form-urlencoded"
    pairs = form_pairs(names, fields)
    as_json = json_bodies().map(lambda raw: Body("application/json", raw=raw))
    return st.one_of(
        *([as_json] * 4 if json_endpoint else []),
        pairs.map(lambda p: Body(form, raw=urlencoded(p))),
        st.builds(
            lambda raw, p: Body(form, raw=raw + b"&" + urlencoded(p)), st.sampled_from(RAW_FORMS), pairs
        ),
        st.builds(multipart, pairs, st.binary(max_size=2_000)),
        as_json,
        st.builds(
            Body,
            st.sampled_from(["text/plain", f"{form}; charset=utf-16", "application/xml"]),
            st.binary(max_size=500),
        ),
    )
