"""The app's URLs plus two baselines served through the same middleware stack."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/minimal/", views.minimal, name="bench-minimal"),
    path("bench/minimal-db/", views.minimal_db, name="bench-minimal-db"),
    path("", include("config.urls")),
]
