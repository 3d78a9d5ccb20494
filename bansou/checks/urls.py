from django.urls import path

from bansou.checks import downloads, views

app_name = "checks"
urlpatterns = [
    path("", views.history, name="history"),
    path("start/", views.start, name="start"),
    path("drafts/<str:draft_id>/", views.sheet, name="sheet"),
    path("drafts/<str:draft_id>/autosave/", views.autosave, name="autosave"),
    path("drafts/<str:draft_id>/sheet.xlsx", views.draft_xlsx, name="draft_xlsx"),
    path("blank/", views.blank_sheet, name="blank_sheet"),
    path("import/", views.import_sheet, name="import"),
    path("blank.pdf", views.blank_sheet, {"as_pdf": True}, name="blank_sheet_pdf"),
    path("blank-sheet.xlsx", downloads.blank_xlsx, name="blank_xlsx"),
    path("<str:check_id>/", views.result, name="result"),
    path("<str:check_id>/result.pdf", views.result, {"as_pdf": True}, name="result_pdf"),
    path("<str:check_id>/answers.xlsx", downloads.answers_xlsx, name="answers_xlsx"),
    path("<str:check_id>/answers.csv", downloads.answers_csv, name="answers_csv"),
]
