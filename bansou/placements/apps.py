from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "bansou.placements"
    label = "placements"
    verbose_name = _("配置計画")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from bansou.placements import notices
        from bansou.teams import companions

        companions.lead_notices.register(notices.open_changes)
