"""Reading answer edits from the sheet form (works without JavaScript) and from autosave JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping

from bansou.domain.drafts import Edit
from bansou.domain.framework import Axis, Framework

MAX_EDITS = 500
MAX_ITEM_CODE = 50  # as stored (DraftCell.item_code): anything longer is no item


def field_name(code: str, axis: Axis) -> str:
    return f"a-{code}-{axis.value}"


def base_name(code: str, axis: Axis) -> str:
    return f"b-{code}-{axis.value}"


def base_value(value: int | None, revision: int) -> str:
    """What the form remembers of a cell as rendered: ``revision:value``."""
    return f"{revision}:{'' if value is None else value}"


def _int_or_none(text: str | None) -> int | None:
    if text is None or text == "":
        return None
    return int(text)


def edits_from_post(framework: Framework, post: Mapping[str, str]) -> list[Edit]:
    """The cells the person changed in this form: posted value differs from the value rendered.

    Unchanged cells are not edits, so a stale tab that submits does not touch answers that
    another tab changed meanwhile. Malformed fields are skipped.
    """
    edits = []
    for code in framework.item_codes():
        for axis in Axis:
            try:
                revision_text, _, rendered_text = post.get(base_name(code, axis), "").partition(":")
                revision, rendered = int(revision_text), _int_or_none(rendered_text)
                posted = _int_or_none(post.get(field_name(code, axis)))
            except ValueError:
                continue
            if posted != rendered:
                edits.append(Edit(item=code, axis=axis, value=posted, base_revision=revision))
    return edits


def edits_from_json(body: bytes) -> list[Edit]:
    """``{"edits": [{"item": "2-1", "axis": "practice", "value": 1, "base_revision": 3}, …]}``.

    Raises ``ValueError`` on anything else.
    """
    try:
        data = json.loads(body.decode("utf-8"))
    except RecursionError:  # nested thousands deep: the decoder gives up, and so does the request
        raise ValueError("nested too deeply") from None
    raw_edits = data.get("edits") if isinstance(data, dict) else None
    if not isinstance(raw_edits, list) or not 0 < len(raw_edits) <= MAX_EDITS:
        raise ValueError("edits must be a non-empty list")
    edits = []
    for raw in raw_edits:
        if not isinstance(raw, dict):
            raise ValueError("each edit must be an object")
        item, value, base = raw.get("item"), raw.get("value"), raw.get("base_revision")
        if not isinstance(item, str) or not (value is None or type(value) is int) or type(base) is not int:
            raise ValueError("bad edit")
        if not item.isprintable() or len(item) > MAX_ITEM_CODE:  # a NUL would reach the database
            raise ValueError("bad item code")
        edits.append(Edit(item=item, axis=Axis(str(raw.get("axis"))), value=value, base_revision=base))
    return edits
