from django.urls import path

from bansou.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("<str:org_id>/", views.page, name="page"),
]
