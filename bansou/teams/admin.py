"""Teams in the admin site: members and leads only (to repair a team); shared answers are not shown here."""

from __future__ import annotations

from django.contrib import admin

from bansou.teams.models import Team, TeamMember
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
