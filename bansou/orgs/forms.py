from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from bansou.orgs.models import Membership, Organisation
from bansou.web.fields import ChoosePlease, grants_signup_field


class OrganisationForm(ChoosePlease, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Organisation
        fields = ("name", "kind", "prefecture")
        help_texts = {"name": _("例：〇〇県 長寿社会課"), "prefecture": _("任意")}


class InviteForm(forms.Form):
    role = forms.ChoiceField(
        label=_("参加後の立場"),
        choices=Membership.Role.choices,
        initial=Membership.Role.SUPPORTER,
        widget=forms.RadioSelect,
        help_text=_("職員・管理者は、人材プールと組織が運営するチームの不足を見られます。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if settings.SIGNUP_MODE == "invite":  # with open sign-up, anyone can create an account anyway
            self.fields["grants_signup"] = grants_signup_field()


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("組織での立場"), choices=Membership.Role.choices)
