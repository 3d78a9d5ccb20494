"""Teams in the admin site: members and leads only (to repair a team); shared answers are not shown here.
The access log is listed read only, for superusers."""

from __future__ import annotations

from django.contrib import admin

from bansou.accounts.admin import ReadOnlyForSuperusers
from bansou.teams.models import AccessLog, Team, TeamMember
from bansou.web.fields import ChoosePleaseAdmin


class TeamMemberInline(ChoosePleaseAdmin, admin.TabularInline):  # type: ignore[type-arg]
    model = TeamMember
    extra = 0
    raw_id_fields = ("user",)
    fields = ("user", "roles", "is_lead", "affiliation")


@admin.register(Team)
class TeamAdmin(ChoosePleaseAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "municipality", "fiscal_year", "organisation")
    list_filter = ("fiscal_year",)
    raw_id_fields = ("municipality",)
    inlines = [TeamMemberInline]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyForSuperusers, admin.ModelAdmin):  # type: ignore[type-arg]
    """Who looked at whose item-level answers or dialogue sheet: with the audit log of accounts, what
    the site's administrators read of what was opened (names and labels as they were; no answers)."""

    list_display = ("at", "viewer_name", "what", "team_label", "subject_name")
    list_filter = ("what",)
    search_fields = ("viewer_name", "team_label")
    date_hierarchy = "at"
    fields = ("at", "viewer_name", "what", "team_label", "subject_name")
    readonly_fields = fields
    list_select_related = ("subject",)

    @admin.display(description="見られた人")
    def subject_name(self, entry: AccessLog) -> str:
        return str(entry.subject)
