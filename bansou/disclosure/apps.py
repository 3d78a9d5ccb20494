from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "bansou.disclosure"
    label = "disclosure"
    verbose_name = "集計の開示"
    default_auto_field = "django.db.models.BigAutoField"
