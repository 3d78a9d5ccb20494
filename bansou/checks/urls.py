from django.urls import path

from bansou.checks import views

app_name = "checks"
urlpatterns = [
    path("", views.history, name="history"),
    path("start/", views.start, name="start"),
    path("drafts/<str:draft_id>/", views.sheet, name="sheet"),
    path("drafts/<str:draft_id>/autosave/", views.autosave, name="autosave"),
    path("<str:check_id>/", views.result, name="result"),
]
