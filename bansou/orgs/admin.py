"""Organisations in the admin site, to repair what the pages cannot (one left without 管理者)."""

from __future__ import annotations

from django.contrib import admin

from bansou.orgs.models import Membership, Organisation
from bansou.web.fields import ChoosePleaseAdmin


class MembershipInline(ChoosePleaseAdmin, admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    extra = 0
    raw_id_fields = ("user",)
    fields = ("user", "role", "in_pool")


@admin.register(Organisation)
class OrganisationAdmin(ChoosePleaseAdmin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "kind", "prefecture", "created_at")
    list_filter = ("kind",)
    search_fields = ("name",)
    inlines = [MembershipInline]
