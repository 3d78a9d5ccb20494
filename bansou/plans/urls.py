from django.urls import path

from bansou.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/<str:check_id>/", views.start, name="start"),
    path("<str:plan_id>/", views.detail, name="detail"),
    path("<str:plan_id>/items/", views.choose, name="choose"),
    path("<str:plan_id>/share/", views.share, name="share"),
]
