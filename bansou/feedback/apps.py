from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "bansou.feedback"
    label = "feedback"
    verbose_name = _("他者からのフィードバック")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from bansou.feedback import next_step, receivers  # noqa: F401
        from bansou.teams import companions

        companions.dialogue.register(next_step.dialogue_rows)
