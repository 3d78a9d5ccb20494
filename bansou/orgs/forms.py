from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bansou.orgs.models import Membership, Organisation


class OrganisationForm(forms.ModelForm):  # type: ignore[type-arg]
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


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("組織での立場"), choices=Membership.Role.choices)
