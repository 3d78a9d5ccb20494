"""Sign-up codes in the admin site (for invite-only sign-up): made here, the code shown once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansou.invitations import services
from bansou.invitations.codes import format_code
from bansou.invitations.models import Invitation, Kind


class SignupCodeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Invitation
        fields = ("note",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Every invitation is listed; only sign-up codes are made here (teams, organisations and 研修 make
    their own). A new code is shown once, in the message after saving."""

    list_display = ("kind", "hint", "note", "created_at", "expires_at", "uses", "max_uses", "revoked_at")
    list_filter = ("kind",)
    form = SignupCodeForm
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Sign-up codes make accounts (and whoever makes accounts can invent 研修 participants): only
        superusers make them, whatever permissions a staff user of the admin site was given."""
        return bool(request.user.is_superuser)

    def get_readonly_fields(self, request: HttpRequest, obj: Invitation | None = None) -> Any:
        if obj is None:
            return ()
        return (
            "kind",
            "target_id",
            "role",
            "hint",
            "created_by",
            "created_at",
            "expires_at",
            "uses",
            "max_uses",
        )

    def save_model(self, request: HttpRequest, obj: Invitation, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        issued = services.issue(
            kind=Kind.SIGNUP,
            by_id=request.user.pk,
            note=obj.note,
            lifetime=None,
            max_uses=1,
            grants_signup=True,
        )
        vars(obj).update({k: v for k, v in vars(issued.invitation).items() if not k.startswith("_")})
        messages.warning(
            request,
            _("招待コード: %(code)s （この一度だけ表示します。控えて、使う人に渡してください）")
            % {"code": format_code(issued.code)},
        )

    @admin.action(description=_("選んだ招待を取り消す"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
