from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "bansou.feedback"
    label = "feedback"
    verbose_name = _("他者からのフィードバック")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from bansou.feedback import receivers  # noqa: F401
