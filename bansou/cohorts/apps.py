from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "bansou.cohorts"
    label = "cohorts"
    verbose_name = "研修"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from bansou.checks import companions
        from bansou.cohorts import companions as cohort_companions
        from bansou.cohorts import receivers  # noqa: F401  (invitations go with what they invite to)
        from bansou.cohorts.joining import describe, to_cohort
        from bansou.invitations.models import Kind
        from bansou.web import joining

        joining.register(Kind.COHORT, to_cohort, describe=describe, page="cohorts:join")
        companions.result.register(cohort_companions.result_context)  # hand the check in to a 研修
