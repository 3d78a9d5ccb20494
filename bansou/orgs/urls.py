from django.urls import path

from bansou.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.org_list, name="list"),
    path("new/", views.create, name="create"),
    path("<str:org_id>/", views.detail, name="detail"),
    path("<str:org_id>/invitations/", views.invite, name="invite"),
    path("<str:org_id>/invitations/<int:invitation_id>/revoke/", views.revoke, name="revoke"),
    path("<str:org_id>/members/<int:membership_id>/role/", views.set_role, name="set_role"),
    path("<str:org_id>/members/<int:membership_id>/remove/", views.remove, name="remove"),
]
