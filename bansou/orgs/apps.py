from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "bansou.orgs"
    label = "orgs"
    verbose_name = "組織"
    default_auto_field = "django.db.models.BigAutoField"
