from django.urls import path

from bansou.placements.views import changes, files, plans

app_name = "placements"
urlpatterns = [
    path("changes/<str:change_id>/", changes.change, name="change"),
    path("<str:org_id>/", plans.new, name="new"),
    path("<str:org_id>/<str:plan_id>/", plans.detail, name="detail"),
    path("<str:org_id>/<str:plan_id>/exact/", plans.exact, name="exact"),
    path("<str:org_id>/<str:plan_id>/accept/", changes.accept, name="accept"),
    path("<str:org_id>/<str:plan_id>/gaps.xlsx", files.gaps_xlsx, name="gaps_xlsx"),
    path("<str:org_id>/<str:plan_id>/gaps.csv", files.gaps_csv, name="gaps_csv"),
    path("<str:org_id>/<str:plan_id>/plan.xlsx", files.plan_xlsx, name="plan_xlsx"),
    path("<str:org_id>/<str:plan_id>/plan.csv", files.plan_csv, name="plan_csv"),
]
