from django.urls import path

from bansou.feedback.views import files, mine, next_step

app_name = "feedback"
urlpatterns = [
    path("", mine.mine, name="mine"),
    path("new/", mine.new, name="new"),
    path("<str:request_id>/", mine.detail, name="detail"),
    path("<str:request_id>/links/", mine.more_links, name="more_links"),
    path("<str:request_id>/close/", mine.close, name="close"),
    path("<str:request_id>/paper/", mine.paper, name="paper"),
    path("<str:request_id>/comments/<str:comment_id>/hide/", mine.hide_comment, name="hide_comment"),
    path("<str:request_id>/sheet.pdf", files.sheet, name="sheet"),
    path("<str:request_id>/comparison.xlsx", files.comparison_xlsx, name="comparison_xlsx"),
    path("<str:request_id>/comparison.csv", files.comparison_csv, name="comparison_csv"),
    path("<str:request_id>/comments.csv", files.comments_csv, name="comments_csv"),
    path("<str:request_id>/next-step/", next_step.start_plan, name="next_step"),
    path("<str:request_id>/team/", next_step.share_with_team, name="share_with_team"),
]
