from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "bansou.proposals"
    label = "proposals"
    verbose_name = _("チームの提案")
    default_auto_field = "django.db.models.BigAutoField"
