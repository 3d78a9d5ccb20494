"""The choice of what to share: nothing, always the latest check, or one check."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansou.checks.models import Check
from bansou.sharing.choices import LATEST, PRIVATE, ShareChoice


def share_choices(checks: Iterable[Check]) -> list[tuple[str, str]]:
    local = timezone.localtime
    return [
        (PRIVATE.value, str(_("共有しない"))),
        (LATEST.value, str(_("常に最新のチェック（新しく提出すると、それが共有されます）"))),
        *[
            (
                str(check.public_id),
                str(_("%(when)s に提出したチェック"))
                % {"when": local(check.submitted_at).strftime("%Y年%-m月%-d日 %H:%M")},
            )
            for check in checks
        ],
    ]


class ShareForm(forms.Form):
    """``cleaned_data["choice"]`` is a ``ShareChoice``."""

    choice = forms.ChoiceField(label=_("共有するチェック"), widget=forms.RadioSelect, required=False)

    def __init__(
        self,
        *args: Any,
        checks: Iterable[Check] = (),
        label: str = "",
        current: ShareChoice = PRIVATE,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"choice": current.value})
        super().__init__(*args, **kwargs)
        field = self.fields["choice"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = share_choices(checks)
        if label:
            field.label = label

    def clean_choice(self) -> ShareChoice:
        return ShareChoice.parse(self.cleaned_data["choice"] or "")


def own_checks(user_id: int) -> list[Check]:
    """The checks a person can choose from, newest first. One query."""
    return list(Check.objects.filter(owner_id=user_id).select_related("framework").order_by("-submitted_at"))


class TeamShareForm(ShareForm):
    """What to share with a team and, for a team an organisation runs, whether the team's verdicts
    may be shown to that organisation's staff (``cleaned_data["verdicts_to_staff"]``; False without
    an organisation, and withdrawn with the share)."""

    def __init__(
        self, *args: Any, organisation: str = "", verdicts_to_staff: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisation:
            self.fields["verdicts_to_staff"] = forms.BooleanField(
                label=_("%(org)sの職員に、このチームの判定を示してよい") % {"org": organisation},
                required=False,
                initial=verdicts_to_staff,
                help_text=_("チェックを共有するときだけ有効です。共有をやめると、この同意も取り消されます。"),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        choice = data.get("choice")
        data["verdicts_to_staff"] = bool(data.get("verdicts_to_staff")) and not (
            choice is None or choice.private
        )
        return data
