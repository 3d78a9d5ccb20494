from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "bansou.web"
    label = "web"
    verbose_name = "画面"
