"""Typed access to the entries of a framework file (TOML): each read checks the entry's keys or value
and, when it is wrong, fails with a ``FrameworkFileError`` that names the file, the entry and why.

The file's shape (which tables, which keys, how they refer to one another) is ``framework_file``'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class FrameworkFileError(ValueError):
    """A framework file is not valid; ``str()`` names the file, the entry and the reason."""

    def __init__(self, source: str, where: str, reason: str) -> None:
        self.source = source
        self.where = where
        self.reason = reason
        place = f"{source}: {where}" if where else source
        super().__init__(f"{place}: {reason}")


class Fields:
    """Reads values out of the parsed TOML of one file (``source``: its name, for the messages)."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, reason: str) -> FrameworkFileError:
        return FrameworkFileError(self.source, where, reason)

    def table(
        self, data: Any, where: str, keys: set[str], optional: frozenset[str] | set[str] = frozenset()
    ) -> Mapping[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(where, "表（テーブル）である必要があります")
        unknown = sorted(set(data) - keys - optional)
        if unknown:
            raise self.fail(where, f"不明なキーがあります: {', '.join(unknown)}")
        missing = sorted(k for k in keys if k not in data)
        if missing:
            raise self.fail(where, f"必須のキーがありません: {', '.join(missing)}")
        return data

    def text(self, data: Mapping[str, Any], key: str, where: str, *, default: str | None = None) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            raise self.fail(where, f"「{key}」は空でない文字列である必要があります")
        return value

    def integer(self, data: Mapping[str, Any], key: str, where: str) -> int:
        value = data.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(where, f"「{key}」は整数である必要があります")
        return value

    def array(self, data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> Sequence[Any]:
        value = data.get(key, None if required else [])
        if not isinstance(value, list) or (required and not value):
            raise self.fail(where, f"「{key}」は空でない配列である必要があります")
        return value

    def texts_of(self, data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        values = self.array(data, key, where, required=False)
        if not all(isinstance(v, str) and v.strip() for v in values):
            raise self.fail(where, f"「{key}」は空でない文字列の配列である必要があります")
        return tuple(values)
