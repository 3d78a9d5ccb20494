from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.tokens import default_token_generator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from bansou.accounts.models import AuditEntry, User
from bansou.accounts.second_factor import devices


@admin.register(User)
class BansouUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "display_name", "furigana", "is_staff", "is_active", "last_login")
    search_fields = ("username", "display_name", "furigana")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("プロフィール"), {"fields": ("display_name", "furigana", "roles")}),
    )
    actions = ["make_reset_link", "reset_second_factor"]

    def has_reset_permission(self, request: HttpRequest) -> bool:
        """Only a superuser may issue reset links: a link is a way into any account, an admin's too."""
        return bool(request.user.is_active and request.user.is_superuser)

    @admin.action(description=_("パスワード再設定用のリンクを発行する（メール不要）"), permissions=["reset"])
    def make_reset_link(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Shows a one-time link per user for the administrator to hand over in person or by phone."""
        for user in queryset:
            path = reverse(
                "accounts:password_reset_confirm",
                args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)],
            )
            messages.info(
                request,
                _("%(name)s さんの再設定用リンク: %(url)s")
                % {"name": user, "url": request.build_absolute_uri(path)},
            )

    @admin.action(
        description=_("2段階認証をリセットする（スマートフォンをなくしたとき）"), permissions=["reset"]
    )
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Removes the person's authenticator app and recovery codes: they add a new one at their next
        login (if they must have one) or from their profile."""
        for user in queryset:
            devices.remove(user)
            messages.info(request, _("%(name)s さんの2段階認証をリセットしました。") % {"name": user})


class ReadOnlyForSuperusers:
    """An admin page of a log: read by superusers only (a permission given to a staff user is not
    enough); nobody adds, changes or deletes an entry (``manage.py apply_retention`` removes the old)."""

    def _superuser(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._superuser(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._superuser(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyForSuperusers, admin.ModelAdmin):  # type: ignore[type-arg]
    """The audit log of what staff and administrators searched, opened and downloaded."""

    list_display = ("at", "actor_name", "kind", "target")
    list_filter = ("kind",)
    search_fields = ("actor_name", "target")
    date_hierarchy = "at"
    fields = ("at", "actor_name", "kind", "target")
    readonly_fields = fields
