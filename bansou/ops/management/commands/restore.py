from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from bansou.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "manage.py backup で作ったファイルから、データベースの内容をすべて置き換えます。"
        "アプリケーションのサーバーを止めてから実行してください。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="manage.py backup で作ったファイル")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["file"]
        connection = connections[DEFAULT_DB_ALIAS]
        name = connection.settings_dict["NAME"]
        if options["interactive"]:
            answer = input(f"データベース {name} の内容を {source} ですべて置き換えます。よろしければ yes: ")
            if answer.strip() != "yes":
                raise CommandError("取りやめました。")
        try:
            restore(connection, source)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{source} から復元しました。")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("未適用のマイグレーションがあります。manage.py migrate を実行してください。")
