from django.urls import path

from bansou.reports import views

app_name = "reports"
urlpatterns = [
    path("me.json", views.my_json, name="my_json"),
    path("me.xlsx", views.my_xlsx, name="my_xlsx"),
]
