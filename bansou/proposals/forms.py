"""The form staff fill to ask for a team: the 市町村, the 年度, the bounds, the C target, the people who
must be in or out, and the preferences. Errors in Japanese; the hard errors the optimiser finds
(``domain.forming.check``) are added by the view, in the words of ``presenters``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansou.domain.fiscal_year import fiscal_year_of
from bansou.places.forms import MunicipalityField
from bansou.teams.bounds import TeamBoundsForm
from bansou.teams.forms import roles_field
from bansou.web.fields import fiscal_year_choices


class ProposalForm(TeamBoundsForm):
    field_order = ("municipality", "fiscal_year")  # then the bounds, as the page shows them

    municipality = MunicipalityField(label=_("支援する市町村（団体コード）"))
    fiscal_year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    must_in = forms.TypedMultipleChoiceField(
        label=_("必ずチームに入れる人"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    must_out = forms.TypedMultipleChoiceField(
        label=_("チームに入れない人"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    prefer_area = forms.BooleanField(
        label=_("その地域に対応できる人（プロフィールの都道府県・市町村）を優先する"), required=False
    )
    prefer_experience = forms.BooleanField(
        label=_("この組織のチームでこの市町村を支援したことのある人を優先する"), required=False
    )

    def __init__(self, *args: Any, people: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        """``people``: (user id, 「名前（フリガナ）」) of those the pool offers."""
        super().__init__(*args, **kwargs)
        fy = self.fields["fiscal_year"]
        assert isinstance(fy, forms.TypedChoiceField)
        fy.choices = fiscal_year_choices()
        fy.initial = fiscal_year_of(timezone.localdate())
        for name in ("must_in", "must_out"):
            field = self.fields[name]
            assert isinstance(field, forms.TypedMultipleChoiceField)
            field.choices = list(people)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        both = set(data.get("must_in") or ()) & set(data.get("must_out") or ())
        if both:
            self.add_error("must_out", _("同じ人を「必ず入れる」と「入れない」の両方に選んでいます。"))
        return data


class FormTeamForm(forms.Form):
    """Forming the team of one proposal (which one is posted beside it): its name, the lead, the creator's
    own role."""

    name = forms.CharField(
        label=_("チーム名"), required=False, max_length=100, help_text=_("任意。例：第1支援チーム")
    )
    lead = forms.TypedChoiceField(label=_("リーダー"), coerce=int, required=False, empty_value="0")
    roles = roles_field(_("あなたのチームでの役割"))

    def __init__(self, *args: Any, members: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lead = self.fields["lead"]
        assert isinstance(lead, forms.TypedChoiceField)
        lead.choices = [(0, _("あなた（チームを作る人）だけ"))] + [
            (pk, _("あなたと %(name)s さん（参加した時点でリーダーになります）") % {"name": name})
            for pk, name in members
        ]
        lead.widget = forms.RadioSelect(choices=lead.choices)
        lead.initial = 0
