from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "bansou.teams"
    label = "teams"
    verbose_name = "支援チーム"
    default_auto_field = "django.db.models.BigAutoField"
