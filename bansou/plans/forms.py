from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bansou.domain.framework import Item
from bansou.plans.models import Status, Step
from bansou.plans.services import MAX_STEPS
from bansou.web.fields import DateInput


class ItemsForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("取り組む項目"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("%(n)d項目まで選べます。") % {"n": MAX_STEPS},
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, items: Iterable[Item], suggested: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["items"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            (item.code, f"{item.name}（{_('おすすめ')}）" if item.code in suggested else item.name)
            for item in items
        ]

    def clean_items(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["items"]
        if len(chosen) > MAX_STEPS:
            raise forms.ValidationError(_("選べるのは%(n)d項目までです。") % {"n": MAX_STEPS})
        return chosen


class PlanForm(forms.Form):
    """次の一歩, いつまでに and 状況 for each step, and the 振り返り."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    reflection = forms.CharField(
        label=_("振り返り"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("取り組んでみてどうだったか。次のチェックのときに読み返せます。"),
    )

    def __init__(self, *args: Any, steps: Iterable[Step], names: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step_fields: list[tuple[str, str, list[str]]] = []
        for step in steps:
            code = step.item_code
            prefix = f"step-{code}"
            self.fields[f"{prefix}-action"] = forms.CharField(
                label=_("次の一歩"),
                required=False,
                max_length=500,
                initial=step.action,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("具体的に、小さく。例：次の会議で、住民の声を集める方法を一つ提案する"),
            )
            self.fields[f"{prefix}-due_on"] = forms.DateField(
                label=_("いつまでに"), required=False, initial=step.due_on, widget=DateInput()
            )
            self.fields[f"{prefix}-status"] = forms.ChoiceField(
                label=_("状況"), choices=Status.choices, initial=step.status, widget=forms.RadioSelect
            )
            self.step_fields.append(
                (code, names.get(code, code), [f"{prefix}-action", f"{prefix}-due_on", f"{prefix}-status"])
            )
        self.order_fields(
            ["revision", *[n for _c, _n, names_ in self.step_fields for n in names_], "reflection"]
        )

    def step_groups(self) -> list[dict[str, Any]]:
        return [
            {"code": code, "name": name, "fields": [self[n] for n in field_names]}
            for code, name, field_names in self.step_fields
        ]


class ShareForm(forms.Form):
    teams = forms.TypedMultipleChoiceField(
        label=_("この計画を共有するチーム"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "チェックを入れたチームのメンバーは、この計画の項目・次の一歩・期限・状況を見られます。振り返りは共有されません。"
        ),
    )

    def __init__(self, *args: Any, teams: Iterable[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["teams"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = list(teams)
