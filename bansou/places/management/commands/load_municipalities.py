from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from bansou.places.services import load_bundled_municipalities
from bansou.places.sources import MunicipalityListError


class Command(BaseCommand):
    help = (
        "同梱の市町村一覧（全国地方公共団体コード）を読み込みます。何度実行しても同じ結果になり、"
        "一覧から外れた市区町村は削除せずに「一覧にない」とします。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_bundled_municipalities()
        except MunicipalityListError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"市町村一覧: {result.describe()}")
