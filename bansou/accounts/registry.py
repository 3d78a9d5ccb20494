"""The personal-data registry: what every app holds about a person, for my data and account deletion.

Each installed app may have a module ``personal_data`` with one function ``declare() ->
Declaration`` (the types: ``bansou.domain.personal_data``). The registry imports those modules by
name, once, on first use (``autodiscover_modules``): accounts never imports an app above it, and a
new app that holds personal data adds its module and edits nothing here. The order of the export's
sections, of its sheets and of the hand-over steps is the declared positions', whatever the order of
``INSTALLED_APPS``; a position or a key used twice is refused.
"""

from __future__ import annotations

import functools
import sys
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.utils.module_loading import autodiscover_modules

from bansou.domain.personal_data import (
    Declaration,
    Handover,
    Keyed,
    Person,
    Section,
    Sheet,
    SheetRows,
    Unkeyed,
)

MODULE = "personal_data"


@dataclass(frozen=True)
class Registry:
    apps: tuple[str, ...]  # the labels of the apps that declared, in INSTALLED_APPS order
    sections: tuple[Section, ...]  # by position
    sheets: tuple[Sheet, ...]  # by position
    rows: tuple[tuple[Section, SheetRows], ...]  # every section's rows of a sheet, by sheet then position
    handovers: tuple[Handover, ...]  # by position
    keyed: tuple[Keyed, ...]
    unkeyed: tuple[Unkeyed, ...]


@functools.cache
def registry() -> Registry:
    """Every app's declaration, found on first use."""
    autodiscover_modules(MODULE)
    declared: list[tuple[str, Declaration]] = []
    for config in apps.get_app_configs():
        module = sys.modules.get(f"{config.name}.{MODULE}")
        if module is None:
            continue
        declare = getattr(module, "declare", None)
        declaration = declare() if callable(declare) else None
        if not isinstance(declaration, Declaration):
            raise ImproperlyConfigured(f"{module.__name__}.declare() must return a Declaration")
        declared.append((config.label, declaration))
    return combine(declared)


def combine(declared: Iterable[tuple[str, Declaration]]) -> Registry:
    """The declarations as one, ordered and checked."""
    declared = list(declared)
    sections = sorted((s for _, d in declared for s in d.sections), key=lambda s: s.position)
    _unique((s.key for s in sections), "section key")
    _unique((s.position for s in sections), "section position")
    rows = [(s, part) for s in sections for part in s.sheets]
    sheets = sorted({part.sheet.title: part.sheet for _, part in rows}.values(), key=lambda s: s.position)
    if len(sheets) != len({part.sheet for _, part in rows}):
        raise ImproperlyConfigured("two sheets of the export share a title but not their columns")
    _unique((s.position for s in sheets), "sheet position")
    _unique(((part.sheet.title, part.position) for _, part in rows), "position in a sheet")
    rows.sort(key=lambda pair: (pair[1].sheet.position, pair[1].position))
    handovers = sorted((h for _, d in declared for h in d.handovers), key=lambda h: h.position)
    _unique((h.position for h in handovers), "hand-over position")
    keyed = [k for _, d in declared for k in d.keyed]
    _unique(((k.model, k.path) for k in keyed), "keyed table")
    unkeyed = [u for _, d in declared for u in d.unkeyed]
    _unique(((u.model, u.fields) for u in unkeyed), "unkeyed table")
    return Registry(
        apps=tuple(label for label, _ in declared),
        sections=tuple(sections),
        sheets=tuple(sheets),
        rows=tuple(rows),
        handovers=tuple(handovers),
        keyed=tuple(keyed),
        unkeyed=tuple(unkeyed),
    )


def _unique(values: Iterable[Hashable], what: str) -> None:
    twice = [value for value, n in Counter(values).items() if n > 1]
    if twice:
        raise ImproperlyConfigured(f"personal data: {what} declared twice: {twice}")


def keyed_rows(entry: Keyed, person: Person) -> QuerySet[Any]:
    """The rows of a keyed table that are about the person."""
    rows: QuerySet[Any] = apps.get_model(entry.model)._default_manager.filter(**{entry.path: person.pk})
    return rows
