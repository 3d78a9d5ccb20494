"""An ``Outcome`` as plain JSON values and back, so that a page can keep a proposal it worked out.

The model's types are frozen dataclasses whose fields are str, int, float, bool, None, a ``StrEnum``,
another dataclass, or a tuple/frozenset of these: each is written as the JSON value it is closest to
(a dataclass as an object of its fields, an enum as its value, a tuple or a set as a list) and read
back by the field's declared type. ``loads(dumps(x)) == x`` for every outcome the optimiser returns
(``tests/domain/test_forming_codec.py``).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from enum import Enum
from functools import cache
from typing import Any

from bansou.domain.forming.model import Outcome


def dumps(value: Any) -> Any:
    """Plain JSON values for ``value`` (an outcome, or any of its parts)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: dumps(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, frozenset):
        return sorted(dumps(v) for v in value)
    if isinstance(value, tuple | list):
        return [dumps(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot write {type(value).__name__}")


def loads_outcome(data: Any) -> Outcome:
    """The outcome ``dumps`` wrote (ValueError or TypeError when ``data`` is not one)."""
    found = read_value(Outcome, data)
    assert isinstance(found, Outcome)
    return found


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def read_value(kind: Any, data: Any) -> Any:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(kind)
        if data is None and type(None) in options:
            return None
        (inner,) = (o for o in options if o is not type(None))
        return read_value(inner, data)
    if origin in (tuple, frozenset):
        return _sequence(kind, origin, data)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        if not isinstance(data, dict):
            raise TypeError(f"{kind.__name__}: expected an object")
        hints = _hints(kind)
        return kind(**{f.name: read_value(hints[f.name], data[f.name]) for f in dataclasses.fields(kind)})
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(data)
    if kind in (str, int, float, bool) and isinstance(data, kind):
        return data
    if kind is float and isinstance(data, int):
        return float(data)
    raise TypeError(f"expected {kind}, got {type(data).__name__}")


def _sequence(kind: Any, origin: Any, data: Any) -> Any:
    if not isinstance(data, list):
        raise TypeError(f"{kind}: expected a list")
    args = typing.get_args(kind)
    if origin is frozenset:
        return frozenset(read_value(args[0], v) for v in data)
    if len(args) == 2 and args[1] is Ellipsis:
        return tuple(read_value(args[0], v) for v in data)
    if len(args) != len(data):
        raise ValueError(f"{kind}: expected {len(args)} values")
    return tuple(read_value(a, v) for a, v in zip(args, data, strict=True))
