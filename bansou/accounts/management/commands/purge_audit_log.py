from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from bansou.accounts import audit


class Command(BaseCommand):
    help = (
        "職員・管理者の操作の記録（検索・閲覧・ダウンロード）のうち、BANSOU_ACCESS_LOG_DAYS 日"
        "（既定3年）より前のものを削除します。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        before = timezone.now() - datetime.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
        self.stdout.write(f"操作の記録 {audit.purge(before=before)} 件を削除しました。")
