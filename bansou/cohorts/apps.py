from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "bansou.cohorts"
    label = "cohorts"
    verbose_name = "研修"
    default_auto_field = "django.db.models.BigAutoField"
