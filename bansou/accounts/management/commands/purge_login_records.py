from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from bansou.accounts.retention import purge_login_records


class Command(BaseCommand):
    help = (
        "ログインの記録（ログインID、IPアドレス、ブラウザー）のうち、保存期間（BANSOU_LOGIN_RECORD_DAYS、"
        "既定90日）を過ぎたものを削除します。cron などで1日1回実行してください。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        before = timezone.now() - datetime.timedelta(days=settings.LOGIN_RECORD_DAYS)
        counts = purge_login_records(before=before)
        self.stdout.write(
            f"{settings.LOGIN_RECORD_DAYS}日より前のログインの記録 {counts['logins']} 件、"
            f"失敗したログインの記録 {counts['failures']} 件、"
            f"失敗の回数の記録 {counts['attempts']} 件を削除しました。"
        )
