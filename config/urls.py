from django.contrib import admin
from django.urls import include, path

from bansou.web.views import favicon

admin.site.site_header = "bansou 管理"
admin.site.site_title = "bansou 管理"

urlpatterns = [
    path("", include("bansou.web.urls")),
    path("elements/", include("bansou.frameworks.urls")),
    path("checks/", include("bansou.checks.urls")),
    path("accounts/", include("bansou.accounts.urls")),
    path("places/", include("bansou.places.urls")),
    path("teams/", include("bansou.teams.urls")),
    path("cohorts/", include("bansou.cohorts.urls")),
    path("plans/", include("bansou.plans.urls")),
    path("orgs/", include("bansou.orgs.urls")),
    path("orgs/", include("bansou.sharing.urls")),  # an organisation's pool: one's own consent
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages that do not name an icon (the admin site's).
    path("favicon.ico", favicon),
]
