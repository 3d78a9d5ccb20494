from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from bansou.checks.services import purge_visitor_records


class Command(BaseCommand):
    help = (
        "アカウントのない訪問者の下書きとチェックのうち、セッションの有効期限（既定14日）を"
        "過ぎたものを削除します。cron などで1日1回実行してください。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        before = timezone.now() - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        drafts, checks = purge_visitor_records(before=before)
        self.stdout.write(f"下書き {drafts} 件、チェック {checks} 件を削除しました。")
