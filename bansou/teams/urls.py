from django.urls import path

from bansou.teams.views import exports, membership, offers, pages, pool, renewal, settings
from bansou.web import joining

app_name = "teams"
urlpatterns = [
    path("", pages.team_list, name="list"),
    path("new/", pages.create, name="create"),
    path("join/", membership.join_by_code, name="join_by_code"),
    path("join/<str:code>/", joining.join, name="join"),
    path("offers/<str:offer_id>/", offers.offer_page, name="offer"),
    path("sharing/", pool.my_sharing, name="my_sharing"),
    path("share/", membership.share_from_result, name="share_from_result"),
    path("pool/<str:org_id>/", pool.org_pool, name="org_pool"),
    path("pool/<str:org_id>/people/<int:membership_id>/", pool.pool_person, name="pool_person"),
    path("<str:team_id>/", pages.detail, name="detail"),
    path("<str:team_id>/team.pdf", pages.detail, {"as_pdf": True}, name="detail_pdf"),
    path("<str:team_id>/map.xlsx", exports.map_xlsx, name="map_xlsx"),
    path("<str:team_id>/map.csv", exports.map_csv, name="map_csv"),
    path("<str:team_id>/share/", membership.share, name="share"),
    path("<str:team_id>/leave/", membership.leave, name="leave"),
    path("<str:team_id>/members/", membership.members, name="members"),
    path("<str:team_id>/members/<int:member_id>/", membership.update_member, name="update_member"),
    path("<str:team_id>/members/<int:member_id>/remove/", membership.remove_member, name="remove_member"),
    path("<str:team_id>/members/<int:member_id>/answers/", pages.member_answers, name="member_answers"),
    path("<str:team_id>/invitations/", membership.invite, name="invite"),
    path("<str:team_id>/invitations/<int:invitation_id>/revoke/", membership.revoke, name="revoke"),
    path("<str:team_id>/requests/<int:request_id>/approve/", membership.approve_join, name="approve_join"),
    path("<str:team_id>/requests/<int:request_id>/refuse/", membership.refuse_join, name="refuse_join"),
    path("<str:team_id>/offers/lead/", offers.ask_lead, name="ask_lead"),
    path("<str:team_id>/offers/<str:offer_id>/withdraw/", offers.withdraw, name="withdraw_offer"),
    path("<str:team_id>/settings/", settings.settings, name="settings"),
    path("<str:team_id>/end/", settings.end, name="end"),
    path("<str:team_id>/carry/", renewal.carry, name="carry"),
    path("<str:team_id>/assignments/", pages.assignments, name="assignments"),
    path("<str:team_id>/dialogue/", pages.dialogue, name="dialogue"),
    path("<str:team_id>/dialogue.pdf", pages.dialogue, {"as_pdf": True}, name="dialogue_pdf"),
    path("<str:team_id>/pool/", pool.team_pool, name="pool"),
]
