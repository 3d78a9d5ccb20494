from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from bansou.accounts.views import privacy
from bansou.checks.home import home
from bansou.web.views import favicon

admin.site.site_header = "bansou 管理"
admin.site.site_title = "bansou 管理"

# A request whose body cannot be read (too large, too many fields): Japanese, or JSON for a script.
handler400 = "bansou.web.views.bad_request"

urlpatterns = [
    path("", home, name="home"),
    path("privacy/", privacy, name="privacy"),
    path("elements/", include("bansou.frameworks.urls")),
    path("checks/", include("bansou.checks.urls")),
    path("accounts/", include("bansou.accounts.urls")),
    path("places/", include("bansou.places.urls")),
    path("teams/", include("bansou.teams.urls")),
    path("cohorts/", include("bansou.cohorts.urls")),
    path("plans/", include("bansou.plans.urls")),
    path("proposals/", include("bansou.proposals.urls")),
    path("placements/", include("bansou.placements.urls")),
    path("feedback/", include("bansou.feedback.urls")),
    path("f/", include("bansou.feedback.public_urls")),  # raters: short, to be typed from paper
    path("dashboard/", include("bansou.dashboard.urls")),
    path("orgs/", include("bansou.orgs.urls")),
    path("orgs/", include("bansou.sharing.urls")),  # an organisation's pool: one's own consent
    path("supporter-profile/", include("bansou.profiles.urls")),
    # The admin site's own password change checks the old password itself, outside the login
    # throttle: it leads to the profile's, where a wrong one counts as a failed login.
    path("admin/password_change/", RedirectView.as_view(pattern_name="accounts:password_change")),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on pages that do not name an icon (the admin site's).
    path("favicon.ico", favicon, name="favicon"),
    # Addresses of pages that moved to the app that owns them (bookmarks keep working).
    *(
        path(old, RedirectView.as_view(pattern_name=new, permanent=True, query_string=True))
        for old, new in (
            ("orgs/<str:org_id>/pool/", "teams:org_pool"),
            ("orgs/<str:org_id>/overview/", "cohorts:org_overview"),
            ("reports/checks/<str:check_id>.xlsx", "checks:answers_xlsx"),
            ("reports/checks/<str:check_id>.csv", "checks:answers_csv"),
            ("reports/blank-sheet.xlsx", "checks:blank_xlsx"),
            ("reports/me.json", "accounts:my_json"),
            ("reports/me.xlsx", "accounts:my_xlsx"),
        )
    ),
]
