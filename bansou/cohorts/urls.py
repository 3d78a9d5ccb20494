from django.urls import path

from bansou.cohorts import views

app_name = "cohorts"
urlpatterns = [
    path("", views.cohort_list, name="list"),
    path("new/", views.create, name="create"),
    path("join/", views.join_by_code, name="join_by_code"),
    path("join/<str:code>/", views.join, name="join"),
    path("overview/<str:org_id>/", views.org_overview, name="org_overview"),
    path("<str:cohort_id>/", views.detail, name="detail"),
    path("<str:cohort_id>/hand-in/<str:phase>/", views.hand_in, name="hand_in"),
    path("<str:cohort_id>/leave/", views.leave, name="leave"),
    path("<str:cohort_id>/results/", views.results, name="results"),
    path("<str:cohort_id>/results.pdf", views.results, {"as_pdf": True}, name="results_pdf"),
    path("<str:cohort_id>/results.xlsx", views.results_xlsx, name="results_xlsx"),
    path("<str:cohort_id>/results.csv", views.results_csv, name="results_csv"),
    path("<str:cohort_id>/paper/", views.paper, name="paper"),
    path("<str:cohort_id>/paper.xlsx", views.paper_xlsx, name="paper_xlsx"),
    path("<str:cohort_id>/projector/", views.projector, name="projector"),
    path("<str:cohort_id>/settings/", views.settings, name="settings"),
    path("<str:cohort_id>/code/", views.new_code, name="new_code"),
    path("<str:cohort_id>/close/<str:phase>/", views.close, name="close"),
]
