from django.urls import path

from bansou.cohorts.views import org_overview
from bansou.orgs import views
from bansou.teams.views import org_pool

app_name = "orgs"
urlpatterns = [
    path("", views.org_list, name="list"),
    path("new/", views.create, name="create"),
    path("<str:org_id>/", views.detail, name="detail"),
    path("<str:org_id>/invitations/", views.invite, name="invite"),
    path("<str:org_id>/invitations/<int:invitation_id>/revoke/", views.revoke, name="revoke"),
    path("<str:org_id>/members/<int:membership_id>/role/", views.set_role, name="set_role"),
    path("<str:org_id>/members/<int:membership_id>/remove/", views.remove, name="remove"),
    path("<str:org_id>/pool/", org_pool, name="pool"),
    path("<str:org_id>/pool/mine/", views.pool_mine, name="pool_mine"),
    path("<str:org_id>/overview/", org_overview, name="overview"),
]
