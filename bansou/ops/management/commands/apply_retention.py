"""The retention schedule in one command, for cron (daily): each step is the owning app's command,
called by name, so that ops imports no app."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

# (command, what it removes), in the order they run.
SCHEDULE = (
    (
        "purge_visitors",
        "訪問者（アカウントなし）の下書きとチェック：セッションの有効期限（14日）を過ぎたもの",
    ),
    ("purge_drafts", "提出していない下書き：最後の保存から BANSOU_DRAFT_DAYS 日（既定365日）"),
    ("purge_access_logs", "回答が見られた記録：BANSOU_ACCESS_LOG_DAYS 日（既定3年）"),
    ("purge_audit_log", "職員・管理者の操作の記録：BANSOU_ACCESS_LOG_DAYS 日（既定3年）"),
    ("purge_login_records", "ログインの記録（django-axes）：その命令の保存期間"),
    ("clearsessions", "有効期限の切れたセッション"),
)


class Command(BaseCommand):
    help = "保存期間を過ぎた個人情報を削除します（保存期間の表のすべて）。cron などで1日1回実行してください。"

    def handle(self, *args: Any, **options: Any) -> None:
        known = get_commands()
        for name, what in SCHEDULE:
            if name not in known:  # a step of a later version (the login records' purge)
                self.stdout.write(f"{name}：この版にはありません（{what}）。")
                continue
            self.stdout.write(f"{name}：{what}")
            call_command(name, stdout=self.stdout, stderr=self.stderr)
