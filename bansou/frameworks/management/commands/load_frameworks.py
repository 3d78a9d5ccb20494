from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bansou.domain.framework_file import FrameworkFileError
from bansou.frameworks.services import load_bundled_frameworks, load_framework_file


class Command(BaseCommand):
    help = "フレームワークのファイルを検証して読み込みます（同じファイルは何度読み込んでも1度だけ）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="読み込むファイル（省略時は同梱のもの）")

    def handle(self, *args: Any, files: list[Path], **options: Any) -> None:
        try:
            if files:
                results = [load_framework_file(path) for path in files]
            else:
                results = load_bundled_frameworks(settings.FRAMEWORK_DATA_DIR)
        except FrameworkFileError as exc:
            raise CommandError(str(exc)) from exc
        for result in results:
            state = "読み込みました" if result.created else "読み込み済みです"
            self.stdout.write(f"{result.version}: {state}")
