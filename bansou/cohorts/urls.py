from django.urls import path

from bansou.cohorts.views import organise, overview, pages, paper, totals

app_name = "cohorts"
urlpatterns = [
    path("", pages.cohort_list, name="list"),
    path("new/", pages.create, name="create"),
    path("join/", pages.join_by_code, name="join_by_code"),
    path("join/<str:code>/", pages.join, name="join"),
    path("overview/<str:org_id>/", overview.org_overview, name="org_overview"),
    path("<str:cohort_id>/", pages.detail, name="detail"),
    path("<str:cohort_id>/check/", pages.start_check, name="start_check"),
    path("<str:cohort_id>/hand-in/<str:phase>/", pages.hand_in, name="hand_in"),
    path("<str:cohort_id>/leave/", pages.leave, name="leave"),
    path("<str:cohort_id>/results/", totals.results, name="results"),
    path("<str:cohort_id>/results.pdf", totals.results, {"as_pdf": True}, name="results_pdf"),
    path("<str:cohort_id>/results.xlsx", totals.results_xlsx, name="results_xlsx"),
    path("<str:cohort_id>/results.csv", totals.results_csv, name="results_csv"),
    path("<str:cohort_id>/paper/", paper.paper, name="paper"),
    path("<str:cohort_id>/paper.xlsx", paper.paper_xlsx, name="paper_xlsx"),
    path("<str:cohort_id>/projector/", totals.projector, name="projector"),
    path("<str:cohort_id>/settings/", organise.settings, name="settings"),
    path("<str:cohort_id>/code/", organise.new_code, name="new_code"),
    path("<str:cohort_id>/close/<str:phase>/", organise.close, name="close"),
]
