from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from bansou.teams.services import purge_access_log


class Command(BaseCommand):
    help = (
        "回答が見られた記録（閲覧の記録）のうち、BANSOU_ACCESS_LOG_DAYS 日（既定3年）"
        "より前のものを削除します。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        before = timezone.now() - datetime.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
        self.stdout.write(f"閲覧の記録 {purge_access_log(before=before)} 件を削除しました。")
