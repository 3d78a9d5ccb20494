from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from bansou.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "データベースを1つのファイルにバックアップします（SQLite はオンラインバックアップ、PostgreSQL は "
        "pg_dump -Fc）。アプリケーションを止めずに実行できます。ファイルは所有者だけが読めます。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="バックアップの保存先")
        parser.add_argument("--force", action="store_true", help="同じ名前のファイルがあれば上書きする")

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["file"]
        if target.exists() and not options["force"]:
            raise CommandError(f"{target} は既にあります（上書きするには --force）。")
        if not target.parent.is_dir():
            raise CommandError(f"{target.parent} というフォルダがありません。")
        try:
            backup(connections[DEFAULT_DB_ALIAS], target)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{target} にバックアップしました。")
