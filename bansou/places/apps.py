from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "bansou.places"
    verbose_name = "市町村"
    default_auto_field = "django.db.models.BigAutoField"
