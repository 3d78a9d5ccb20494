"""The 年度 the dashboard shows (the one before it is shown beside it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansou.domain.fiscal_year import fiscal_year_of, format_fiscal_year

YEARS_BACK = 5


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        now = fiscal_year_of(timezone.localdate())
        year.choices = [(y, format_fiscal_year(y)) for y in range(now + 1, now - YEARS_BACK, -1)]
        year.initial = now
