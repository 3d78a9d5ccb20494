from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "bansou.orgs"
    label = "orgs"
    verbose_name = "組織"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from bansou.accounts import session_limits
        from bansou.invitations.models import Kind
        from bansou.orgs import receivers  # noqa: F401  (invitations go with what they invite to)
        from bansou.orgs.access import is_staff_somewhere
        from bansou.orgs.joining import describe, join_org
        from bansou.web import joining

        joining.register(Kind.ORGANISATION, join_org, describe=describe)
        session_limits.staff_of_an_organisation.provide(is_staff_somewhere)
