"""The request form (items, message, closing date, links per group), the rater's answer form and the
supporter's paper-entry form (the same marks, with whom the sheet came from)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansou.domain.feedback import (
    COMMENT_LIMIT,
    GROUP_WORDS,
    MARK_WORDS,
    MAX_LINKS,
    MESSAGE_LIMIT,
    RaterGroup,
)
from bansou.domain.framework import Item
from bansou.web.fields import date_field

DEFAULT_DAYS = 14
LONGEST = 90  # days a request may stay open
LINK_FIELDS = {RaterGroup.MUNICIPAL: "municipal", RaterGroup.TEAMMATE: "teammate", RaterGroup.OTHER: "other"}


class RequestForm(forms.Form):
    items = forms.MultipleChoiceField(label=_("尋ねる項目"), widget=forms.CheckboxSelectMultiple)
    message = forms.CharField(
        label=_("回答する方へのメッセージ（任意）"),
        max_length=MESSAGE_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("例：市町村の方から見て、私の関わり方はどうでしたか。率直に教えてください。"),
    )
    closes_on = date_field(
        _("締切日"), _("この日が終わると締め切られます。自分で早めに締め切ることもできます。")
    )
    municipal = forms.IntegerField(
        label=_("市町村職員の方へのリンク"), min_value=0, max_value=MAX_LINKS, initial=3
    )
    teammate = forms.IntegerField(
        label=_("チームの仲間へのリンク"), min_value=0, max_value=MAX_LINKS, initial=0
    )
    other = forms.IntegerField(label=_("その他の方へのリンク"), min_value=0, max_value=MAX_LINKS, initial=0)

    def __init__(self, *args: Any, items: Sequence[Item], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["items"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(i.code, f"{i.mark}{i.name}") for i in items]
        self.fields["closes_on"].initial = timezone.localdate() + datetime.timedelta(days=DEFAULT_DAYS)

    def clean_closes_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["closes_on"]
        today = timezone.localdate()
        if value < today:
            raise forms.ValidationError(_("締切日は今日以降の日付にしてください。"))
        if value > today + datetime.timedelta(days=LONGEST):
            raise forms.ValidationError(
                _("締切日は今日から%(days)d日以内にしてください。") % {"days": LONGEST}
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        counts = [cleaned.get(name) or 0 for name in LINK_FIELDS.values()]
        if all(name in cleaned for name in LINK_FIELDS.values()):
            if sum(counts) == 0:
                raise forms.ValidationError(_("リンクを1つ以上作ってください。"))
            if sum(counts) > MAX_LINKS:
                raise forms.ValidationError(_("リンクは合わせて%(max)d個までです。") % {"max": MAX_LINKS})
        return cleaned

    def links(self) -> dict[RaterGroup, int]:
        return {
            group: self.cleaned_data[name] for group, name in LINK_FIELDS.items() if self.cleaned_data[name]
        }


MARK_CHOICES = [(m.value, label) for m, label in MARK_WORDS.items()]


def mark_field_name(code: str) -> str:
    return f"mark_{code}"


def comment_field_name(code: str) -> str:
    return f"comment_{code}"


class AnswerForm(forms.Form):
    """One radio group and one optional comment per asked item."""

    def __init__(self, *args: Any, items: Sequence[Item], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asked = list(items)
        for item in items:
            self.fields[mark_field_name(item.code)] = forms.ChoiceField(
                label=_("「%(item)s」を実践していると感じますか") % {"item": item.name},
                choices=MARK_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": _("「%(item)s」について選んでください。") % {"item": item.name}},
            )
            self.fields[comment_field_name(item.code)] = forms.CharField(
                label=_("「%(item)s」についてのコメント（任意）") % {"item": item.name},
                max_length=COMMENT_LIMIT,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[Item, forms.BoundField, forms.BoundField]]:
        return [(i, self[mark_field_name(i.code)], self[comment_field_name(i.code)]) for i in self.asked]

    def marks(self) -> dict[str, str]:
        return {i.code: self.cleaned_data[mark_field_name(i.code)] for i in self.asked}

    def comments(self) -> dict[str, str]:
        return {i.code: self.cleaned_data.get(comment_field_name(i.code), "") for i in self.asked}


class PaperForm(AnswerForm):
    group = forms.ChoiceField(
        label=_("回答した方"), choices=[(g.value, label) for g, label in GROUP_WORDS.items()]
    )

    field_order = ["group"]
