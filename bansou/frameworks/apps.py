from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "bansou.frameworks"
    label = "frameworks"
    verbose_name = "フレームワーク"
