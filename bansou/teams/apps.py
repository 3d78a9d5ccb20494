from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "bansou.teams"
    label = "teams"
    verbose_name = "支援チーム"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from bansou.invitations.models import Kind
        from bansou.orgs import pages as org_pages
        from bansou.sharing import audiences
        from bansou.teams import (
            queries,
            receivers,  # noqa: F401  (invitations go with what they invite to)
        )
        from bansou.teams.views.membership import describe_team, join_team
        from bansou.web import joining

        audiences.teams_of.provide(queries.team_audiences)
        org_pages.detail.register(queries.org_page_context)
        joining.register(Kind.TEAM, join_team, describe=describe_team)
