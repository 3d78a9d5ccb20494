from django.urls import path

from bansou.profiles import views

app_name = "profiles"
urlpatterns = [
    path("", views.edit, name="edit"),
    path("areas/", views.add_area, name="add_area"),
    path("areas/<str:lgcode>/remove/", views.remove_area, name="remove_area"),
    path("periods/", views.add_period, name="add_period"),
    path("periods/<int:period_id>/remove/", views.remove_period, name="remove_period"),
]
