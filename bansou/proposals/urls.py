from django.urls import path

from bansou.proposals import views

app_name = "proposals"
urlpatterns = [
    path("<str:org_id>/", views.new, name="new"),
    path("<str:org_id>/<str:proposal_id>/", views.detail, name="detail"),
    path("<str:org_id>/<str:proposal_id>/exact/", views.exact, name="exact"),
    path("<str:org_id>/<str:proposal_id>/team/", views.form_team, name="form_team"),
]
