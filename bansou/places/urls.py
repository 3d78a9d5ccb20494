from django.urls import path

from bansou.places import views

app_name = "places"
urlpatterns = [path("municipalities/", views.municipalities, name="municipalities")]
