from django.urls import path

from bansou.frameworks import views

app_name = "frameworks"
urlpatterns = [path("", views.leaflet, name="leaflet")]
