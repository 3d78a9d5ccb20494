"""The bounds of a team to be proposed, as staff type them (one team: ``proposals``; a team per
市町村: ``placements``): its size, its 中核推進役・調整役, the C target, and the check that they fit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MOST = 12  # the largest team the forms offer


def _count(
    label: StrOrPromise, initial: int, least: int = 1, help_text: StrOrPromise = ""
) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=least, max_value=MOST, initial=initial, help_text=help_text
    )


class TeamBoundsForm(forms.Form):
    size_min = _count(_("チームの人数（下限）"), 3)
    size_max = _count(_("チームの人数（上限）"), 5)
    core_min = _count(_("中核推進役・調整役の人数（下限）"), 1, least=0)
    core_max = _count(
        _("中核推進役・調整役の人数（上限）"),
        2,
        least=0,
        help_text=_("プロフィールで「中核推進役・調整役を担える」とした人から選びます。"),
    )
    needed = _count(
        _("C の各力を実践できる人数の目安"),
        1,
        help_text=_("C の9つの力それぞれを、何人が実践できるとよいか。"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("size_min"), data.get("size_max")
        if low is not None and high is not None and low > high:
            self.add_error("size_max", _("上限は下限以上にしてください。"))
        core_low, core_high = data.get("core_min"), data.get("core_max")
        if core_low is not None and core_high is not None and core_low > core_high:
            self.add_error("core_max", _("上限は下限以上にしてください。"))
        if core_low is not None and high is not None and core_low > high:
            self.add_error(
                "core_min", _("チームの人数の上限では、この人数の中核推進役・調整役を置けません。")
            )
        return data
