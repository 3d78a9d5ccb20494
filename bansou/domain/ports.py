"""Ports: how a lower room shows what a higher room owns, without importing it (plain Python).

A lower app declares a ``ContextPort`` for one of its pages; a higher app registers a contributor from
its ``AppConfig.ready()``; the page's view asks the port for the extra context. The arrows of the
imports keep pointing down (ARCHITECTURE.md), and each page says in one line where its extras come from.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

Subject = TypeVar("Subject")
Contributor = Callable[[Subject], dict[str, Any]]


class ContextPort(Generic[Subject]):
    """Extra template context for one page of a lower app, contributed by higher apps."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._contributors: list[Contributor[Subject]] = []

    def register(self, contributor: Contributor[Subject]) -> Contributor[Subject]:
        """Adds a contributor once (registering the same function again changes nothing)."""
        if contributor not in self._contributors:
            self._contributors.append(contributor)
        return contributor

    def collect(self, subject: Subject) -> dict[str, Any]:
        """The context every contributor gives for ``subject``. Two contributors giving the same key
        is a mistake of the code, not of the data: it fails loudly rather than one hiding the other."""
        context: dict[str, Any] = {}
        for contributor in self._contributors:
            given = contributor(subject)
            clash = context.keys() & given.keys()
            if clash:
                raise ValueError(f"{self.name}: {sorted(clash)} given by two contributors")
            context.update(given)
        return context

    def __repr__(self) -> str:
        return f"ContextPort({self.name!r}, {len(self._contributors)} contributors)"
