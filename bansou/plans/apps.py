from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "bansou.plans"
    label = "plans"
    verbose_name = "次の一歩"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from bansou.checks import companions
        from bansou.plans import companions as plan_companions

        companions.result.register(plan_companions.result_context)
        companions.notes_of.provide(plan_companions.sheet_notes)
