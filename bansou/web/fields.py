"""Form fields and widgets shared by every room: dates, 年度 choices, codes typed by hand, the choice
to let an invitation create an account, and 「選択してください」 as the empty choice of a select."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansou.domain.fiscal_year import fiscal_year_of, format_fiscal_year
from bansou.invitations.codes import normalise_code

EMPTY_CHOICE = _("選択してください")
DJANGO_EMPTY = "---------"  # Django's own empty choice (BLANK_CHOICE_DASH, ModelChoiceField)


class ChoosePlease:
    """Form mixin: every select's empty choice says 「選択してください」, not Django's "---------"
    (a model form's optional foreign key, a model field's choices without a default)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            choose_please(field)


class ChoosePleaseAdmin:
    """ModelAdmin and inline mixin: the same 「選択してください」 in the admin site's forms."""

    def formfield_for_dbfield(self, db_field: Any, request: Any, **kwargs: Any) -> forms.Field | None:
        field: forms.Field | None = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None:
            choose_please(field)
        return field


def choose_please(field: forms.Field) -> None:
    """The field's empty choice, if it has Django's, as 「選択してください」."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == DJANGO_EMPTY:
            field.empty_label = EMPTY_CHOICE
    elif isinstance(field, forms.ChoiceField):
        choices: Iterable[tuple[Any, Any]] = field.choices  # type: ignore[assignment]  # normalised by Django
        field.choices = [
            (value, EMPTY_CHOICE if value == "" and label == DJANGO_EMPTY else label)
            for value, label in choices
        ]


class DateInput(forms.DateInput):
    """The browser's own date picker (``<input type="date">``), in ISO form."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label: Any, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, help_text=help_text, widget=DateInput())


def fiscal_year_choices(also: int | None = None) -> list[tuple[int, str]]:
    """Last, this and next 年度, and ``also`` (a team's or 研修's own 年度, however old)."""
    now = fiscal_year_of(timezone.localdate())
    years = sorted({*range(now - 1, now + 2), *([also] if also else [])})
    return [(year, format_fiscal_year(year)) for year in years]


def grants_signup_field() -> forms.BooleanField:
    """「このコードでアカウントも作成できるようにする」: offered only to those who may (the site's
    administrators and an organisation's 管理者; the issuing service decides), under invite-only sign-up.
    Rendered with ``web/_checkbox.html``."""
    return forms.BooleanField(
        label=_("このコードでアカウントも作成できるようにする"),
        required=False,
        help_text=_(
            "アカウントを持っていない人が、このコードでアカウントを作成できます。"
            "コードを渡す相手が実在の人であることを確かめてから渡してください。"
        ),
    )


class CodeForm(forms.Form):
    """An invitation or 研修 code typed by hand: full-width, lower case and hyphens are all fine."""

    code = forms.CharField(
        label=_("招待コード"),
        max_length=40,
        help_text=_("例：AB3C-DE4F-GH6J（ハイフンはあってもなくてもかまいません）"),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not code:  # only hyphens, slashes or other signs: no code at all (and no join address)
            raise forms.ValidationError(
                _(
                    "招待コードが正しくありません。英字と数字のコード（例：AB3C-DE4F-GH6J）を入力してください。"
                ),
                code="invalid",
            )
        return code
