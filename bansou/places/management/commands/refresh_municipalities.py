from __future__ import annotations

import argparse
import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bansou.places.services import SOUMU_SOURCE, refresh_from_soumu_workbook
from bansou.places.sources import MunicipalityListError


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"YYYY-MM-DD で指定してください: {text}") from exc


class Command(BaseCommand):
    help = (
        "総務省の「全国地方公共団体コード」（.xlsx）で市町村一覧を更新します。"
        "検査数字が正しくない行があれば、その行を示して何も変えずに終わります。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="総務省の「全国地方公共団体コード」の .xlsx ファイル")
        parser.add_argument(
            "--as-of", required=True, type=_date, help="一覧の時点（YYYY-MM-DD、総務省の公表日など）"
        )
        parser.add_argument(
            "--source", default=SOUMU_SOURCE, help=f"出典の表示（省略時は「{SOUMU_SOURCE}」）"
        )

    def handle(self, *args: Any, path: Path, as_of: datetime.date, source: str, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"ファイルがありません: {path}")
        try:
            result = refresh_from_soumu_workbook(path, as_of=as_of, source=source)
        except MunicipalityListError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"市町村一覧（{as_of:%Y-%m-%d}時点）: {result.describe()}")
