from django.urls import path

from bansou.sharing import views

# Included under orgs/ (config/urls.py): the pool is an organisation's, consent is the person's.
app_name = "sharing"
urlpatterns = [
    path("<str:org_id>/pool/mine/", views.pool_mine, name="pool_mine"),
]
