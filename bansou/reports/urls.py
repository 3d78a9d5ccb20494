from django.urls import path

from bansou.reports import views

app_name = "reports"
urlpatterns = [
    path("checks/<str:check_id>.xlsx", views.check_xlsx, name="check_xlsx"),
    path("checks/<str:check_id>.csv", views.check_csv, name="check_csv"),
    path("blank-sheet.xlsx", views.blank_xlsx, name="blank_xlsx"),
]
