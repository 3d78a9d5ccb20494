from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "bansou.plans"
    label = "plans"
    verbose_name = "次の一歩"
    default_auto_field = "django.db.models.BigAutoField"
