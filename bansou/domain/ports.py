"""Ports: how a lower room shows what a higher room owns, without importing it (plain Python).

A lower app declares a ``ContextPort`` for one of its pages (a higher app registers a contributor
from its ``AppConfig.ready()``; the page's view asks the port for the extra context), or a
``Provided`` answer it needs (one higher app provides it). The arrows of the imports keep pointing
down (ARCHITECTURE.md), and each page says in one line where its extras come from.
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


Asked = TypeVar("Asked")
Answer = TypeVar("Answer")


class Provided(Generic[Asked, Answer]):
    """One answer a lower room asks for and one higher room gives (``provide`` from its ``ready()``);
    until then, or without that room, ``default``."""

    def __init__(self, name: str, default: Callable[[Asked], Answer]) -> None:
        self.name = name
        self._default = default
        self._provider: Callable[[Asked], Answer] | None = None

    def provide(self, provider: Callable[[Asked], Answer]) -> None:
        """The same provider again changes nothing; another one is refused."""
        if self._provider is not None and self._provider is not provider:
            raise ValueError(f"{self.name} is already provided by {self._provider!r}")
        self._provider = provider

    def __call__(self, asked: Asked) -> Answer:
        return (self._provider or self._default)(asked)
