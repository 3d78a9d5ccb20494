"""Reading frameworks: the domain ``Framework`` of a stored version, cached per process."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import Http404

from bansou.domain.framework import Framework
from bansou.domain.framework_file import parse_framework
from bansou.frameworks.models import FrameworkVersion


@lru_cache(maxsize=32)
def _parse(digest: str, source_text: str) -> Framework:
    return parse_framework(source_text.encode("utf-8"), source=digest[:12]).framework


def framework_of(version: FrameworkVersion) -> Framework:
    """The parsed framework of ``version`` (no query; parsed once per process and content)."""
    return _parse(version.digest, version.source_text)


def active_version() -> FrameworkVersion | None:
    """The version of the default framework that new checks use, if one is loaded. One query."""
    return FrameworkVersion.objects.filter(slug=settings.DEFAULT_FRAMEWORK, active=True).first()


def current_version() -> FrameworkVersion:
    """Like ``active_version``, but 404 if none is loaded."""
    version = active_version()
    if version is None:
        raise Http404("no framework loaded")
    return version
