from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "bansou.profiles"
    label = "profiles"
    verbose_name = "支援者プロフィール"
    default_auto_field = "django.db.models.BigAutoField"
