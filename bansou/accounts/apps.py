import axes.apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True  # the app's own config (AxesConfig below is django-axes')
    name = "bansou.accounts"
    label = "accounts"
    verbose_name = "アカウント"

    def ready(self) -> None:
        from bansou.accounts import session_limits  # noqa: F401  (the clocks start at the login)
        from bansou.accounts.second_factor import gate  # noqa: F401  (who must enrol, at the login)


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin site, made by ``bansou.accounts.admin_site``: only with a second factor."""

    default = False  # named in INSTALLED_APPS; the app's own config is AccountsConfig

    def ready(self) -> None:
        super().ready()
        # django-otp's own admin pages show the keys and speak English: an administrator resets a
        # person's second factor from the person's row (``BansouUserAdmin``), nothing more.
        from django.contrib import admin
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        for model in (TOTPDevice, StaticDevice):
            if admin.site.is_registered(model):
                admin.site.unregister(model)

    default_site = "bansou.accounts.admin_site.AdminSite"


class AxesConfig(axes.apps.AppConfig):  # type: ignore[misc]  # axes has no type hints
    """django-axes (the lock after repeated failed logins), named in Japanese in the admin site:
    the package has no Japanese translation, so its app and models would show as 「Axes」
    「Access attempts」. Only the names shown are set (not the models' options), so no migration of
    the package changes."""

    verbose_name = "ログインの保護"

    NAMES = {
        "AccessAttempt": ("ログイン失敗の回数", "ログイン失敗の回数"),
        "AccessAttemptExpiration": ("ログイン失敗の回数の期限", "ログイン失敗の回数の期限"),
        "AccessLog": ("ログインの記録", "ログインの記録"),
        "AccessFailureLog": ("ログイン失敗の記録", "ログイン失敗の記録"),
    }

    def ready(self) -> None:
        super().ready()
        for model in self.get_models():
            names = self.NAMES.get(model.__name__)
            if names:
                model._meta.verbose_name, model._meta.verbose_name_plural = names
