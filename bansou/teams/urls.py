from django.urls import path

from bansou.teams import views

app_name = "teams"
urlpatterns = [
    path("", views.team_list, name="list"),
    path("new/", views.create, name="create"),
    path("join/", views.join_by_code, name="join_by_code"),
    path("join/<str:code>/", views.join, name="join"),
    path("sharing/", views.my_sharing, name="my_sharing"),
    path("<str:team_id>/", views.detail, name="detail"),
    path("<str:team_id>/team.pdf", views.detail, {"as_pdf": True}, name="detail_pdf"),
    path("<str:team_id>/map.xlsx", views.map_xlsx, name="map_xlsx"),
    path("<str:team_id>/map.csv", views.map_csv, name="map_csv"),
    path("<str:team_id>/share/", views.share, name="share"),
    path("<str:team_id>/leave/", views.leave, name="leave"),
    path("<str:team_id>/members/", views.members, name="members"),
    path("<str:team_id>/members/<int:member_id>/", views.update_member, name="update_member"),
    path("<str:team_id>/members/<int:member_id>/remove/", views.remove_member, name="remove_member"),
    path("<str:team_id>/members/<int:member_id>/answers/", views.member_answers, name="member_answers"),
    path("<str:team_id>/invitations/", views.invite, name="invite"),
    path("<str:team_id>/invitations/<int:invitation_id>/revoke/", views.revoke, name="revoke"),
    path("<str:team_id>/settings/", views.settings, name="settings"),
    path("<str:team_id>/assignments/", views.assignments, name="assignments"),
    path("<str:team_id>/dialogue/", views.dialogue, name="dialogue"),
    path("<str:team_id>/dialogue.pdf", views.dialogue, {"as_pdf": True}, name="dialogue_pdf"),
    path("<str:team_id>/pool/", views.team_pool, name="pool"),
]
