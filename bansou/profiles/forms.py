"""The supporter profile's forms: the profile, a 市町村 to add, a period to add."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bansou.domain.professions import PROFESSIONS
from bansou.places.forms import MunicipalityField
from bansou.places.models import Prefecture
from bansou.profiles.models import MAX_CAPACITY
from bansou.web.fields import date_field


class ProfileForm(forms.Form):
    prefectures = forms.ModelMultipleChoiceField(
        label=_("対応できる都道府県"),
        queryset=Prefecture.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("当てはまるものをすべて選んでください。"),
    )
    professions = forms.MultipleChoiceField(
        label=_("職種・分野"),
        choices=PROFESSIONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("当てはまるものをすべて選んでください。"),
    )
    profession_note = forms.CharField(
        label=_("そのほかの専門・得意分野"),
        required=False,
        max_length=200,
        help_text=_("任意。一覧にない資格や、得意な分野を書いてください（例：認知症施策、地域ケア会議）。"),
    )
    core_role = forms.BooleanField(
        label=_("中核推進役・調整役を担える"),
        required=False,
        help_text=_(
            "チームの中心になって進めたり、関係者の間を調整したりする役割を引き受けられる場合に選んでください。"
        ),
    )
    capacity = forms.IntegerField(
        label=_("1年度に受けられるチームの数"),
        min_value=1,
        max_value=MAX_CAPACITY,
        initial=1,
        help_text=_("1から%(max)dまでの数字") % {"max": MAX_CAPACITY},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["capacity"].widget.attrs["inputmode"] = "numeric"


class AreaForm(forms.Form):
    municipality = MunicipalityField(
        label=_("市町村（団体コード）"), help_text=_("6桁の数字（例：千代田区は 131016）")
    )


class PeriodForm(forms.Form):
    start = date_field(_("開始日"))
    end = date_field(_("終了日"), help_text=_("開始日と同じ日か、それより後の日"))

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("終了日は、開始日と同じ日か、それより後の日にしてください。"))
        return cleaned
