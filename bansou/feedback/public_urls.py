"""The rater's short addresses (``/f/``), answered without an account."""

from django.urls import path

from bansou.feedback.views import public

app_name = "feedback_public"
urlpatterns = [
    path("", public.start, name="start"),
    path("answer/<str:key>/", public.answer, name="answer"),
    path("thanks/", public.thanks, name="thanks"),
]
