"""The form staff fill to ask for a plan: the 年度, the 市町村 to support (団体コード, one a line), each
team's bounds and C target (the same for every 市町村), what the plan may change in existing teams,
and whether areas are required. Errors in Japanese; the hard errors the planner finds are added by
the view."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansou.domain.fiscal_year import fiscal_year_of
from bansou.domain.lgcode import is_valid_lgcode
from bansou.placements.models import PlacementPlan
from bansou.places.models import Municipality
from bansou.teams.bounds import TeamBoundsForm
from bansou.web.fields import fiscal_year_choices

MOST_PLACES = 80  # the most 市町村 in one plan


def codes_of(text: str) -> list[str]:
    """The 団体コード in ``text`` (full-width digits accepted; separated by lines, spaces, commas or
    「、」), each once, in order."""
    normal = unicodedata.normalize("NFKC", text)
    return list(dict.fromkeys(c for c in re.split(r"[\s,、]+", normal) if c))


class PlanForm(TeamBoundsForm):
    field_order = ("fiscal_year", "municipalities")  # then the bounds, as the page shows them

    fiscal_year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    municipalities = forms.CharField(
        label=_("支援する市町村（団体コード、1行に1つ）"),
        widget=forms.Textarea(attrs={"rows": 6, "inputmode": "numeric"}),
        max_length=MOST_PLACES * 8,
        help_text=_("はじめは、この年度に組織のチームがある市町村です。6桁の数字（例：千代田区は 131016）"),
    )
    prefer_area = forms.BooleanField(
        label=_("その地域に対応できる人（プロフィールの都道府県・市町村）を優先する"), required=False
    )
    prefer_experience = forms.BooleanField(
        label=_("この組織のチームでその市町村を支援したことのある人を優先する"), required=False
    )
    changes = forms.ChoiceField(
        label=_("この年度にすでにあるチーム"),
        choices=PlacementPlan.Allowed.choices,
        initial=PlacementPlan.Allowed.ADD,
        widget=forms.RadioSelect,
    )
    areas_required = forms.BooleanField(
        label=_("対応できる地域（プロフィールの都道府県・市町村）の人だけを配置する"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fy = self.fields["fiscal_year"]
        assert isinstance(fy, forms.TypedChoiceField)
        fy.choices = fiscal_year_choices()
        fy.initial = fiscal_year_of(timezone.localdate())

    def clean_municipalities(self) -> list[Municipality]:
        codes = codes_of(self.cleaned_data.get("municipalities") or "")
        wrong = [c for c in codes if not is_valid_lgcode(c)]
        if wrong:
            raise forms.ValidationError(
                _("団体コードが正しくありません（6桁、検査数字を含む）：%(codes)s")
                % {"codes": "、".join(wrong[:5])}
            )
        if not codes:
            raise forms.ValidationError(_("支援する市町村を1つ以上入れてください。"))
        if len(codes) > MOST_PLACES:
            raise forms.ValidationError(_("一度に計画できるのは%(n)dの市町村までです。") % {"n": MOST_PLACES})
        found = {
            m.lgcode: m
            for m in Municipality.objects.select_related("prefecture").filter(lgcode__in=codes, active=True)
        }
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(
                _("この団体コードの市区町村は、市町村一覧にありません：%(codes)s")
                % {"codes": "、".join(unknown[:5])}
            )
        return [found[c] for c in codes]
