from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "bansou.placements"
    label = "placements"
    verbose_name = _("配置計画")
    default_auto_field = "django.db.models.BigAutoField"
