from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from bansou.checks.services import purge_stale_drafts


class Command(BaseCommand):
    help = (
        "アカウントのある人の提出していないチェック（下書き）のうち、最後の保存から "
        "BANSOU_DRAFT_DAYS 日（既定365日）を過ぎたものを削除します。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        before = timezone.now() - datetime.timedelta(days=settings.DRAFT_RETENTION_DAYS)
        drafts = purge_stale_drafts(before=before)
        self.stdout.write(f"下書き {drafts} 件を削除しました。")
