from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "bansou.reports"
    label = "reports"
    verbose_name = "出力"
    default_auto_field = "django.db.models.BigAutoField"
