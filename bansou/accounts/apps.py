from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bansou.accounts"
    label = "accounts"
    verbose_name = "アカウント"
