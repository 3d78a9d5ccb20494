from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "bansou.checks"
    label = "checks"
    verbose_name = "セルフチェック"
