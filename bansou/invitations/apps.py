from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    name = "bansou.invitations"
    label = "invitations"
    verbose_name = "招待"
    default_auto_field = "django.db.models.BigAutoField"
