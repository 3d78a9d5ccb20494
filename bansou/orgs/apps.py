from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "bansou.orgs"
    label = "orgs"
    verbose_name = "組織"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from bansou.orgs.joining import join_org
        from bansou.web import joining

        joining.register("organisation", join_org, order=20)
