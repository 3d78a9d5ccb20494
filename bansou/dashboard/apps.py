from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "bansou.dashboard"
    label = "dashboard"
    verbose_name = _("組織のダッシュボード")
    default_auto_field = "django.db.models.BigAutoField"
