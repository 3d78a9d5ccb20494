"""Loading framework files into the database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from bansou.domain.framework_file import FrameworkFileError, read_framework_file
from bansou.frameworks.models import FrameworkVersion, Item


@dataclass(frozen=True)
class LoadResult:
    version: FrameworkVersion
    created: bool


@transaction.atomic
def load_framework_file(path: Path) -> LoadResult:
    """Validates ``path`` and stores it once; loading the same file again changes nothing.

    A version already loaded with other content is refused: checks are bound to a version,
    so a changed file needs a new version.
    """
    loaded = read_framework_file(path)
    framework = loaded.framework
    existing = FrameworkVersion.objects.filter(slug=framework.slug, version=framework.version).first()
    if existing is not None:
        if existing.digest != loaded.digest:
            raise FrameworkFileError(
                path.name,
                "[framework]",
                f"版「{framework.version}」は別の内容で読み込み済みです。"
                "内容を変えたときは version を上げてください",
            )
        return LoadResult(existing, created=False)
    FrameworkVersion.objects.filter(slug=framework.slug, active=True).update(active=False)
    version = FrameworkVersion.objects.create(
        slug=framework.slug,
        version=framework.version,
        title=framework.title,
        source_text=path.read_text(encoding="utf-8"),
        digest=loaded.digest,
        active=True,
    )
    Item.objects.bulk_create(
        Item(
            framework=version,
            code=item.code,
            sheet=sheet.code,
            position=position,
            element=item.element,
            tier=item.tier,
            power=item.power,
        )
        for position, (sheet, item) in enumerate(
            (sheet, item) for sheet in framework.sheets for item in sheet.items()
        )
    )
    return LoadResult(version, created=True)


def load_bundled_frameworks(directory: Path) -> list[LoadResult]:
    """Loads every ``*.toml`` in ``directory``, in name order."""
    return [load_framework_file(path) for path in sorted(directory.glob("*.toml"))]
