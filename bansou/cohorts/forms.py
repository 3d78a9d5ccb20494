from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansou.checks.models import Check
from bansou.domain.fiscal_year import fiscal_year_of, format_fiscal_year
from bansou.orgs.models import Organisation
from bansou.web.fields import date_field, fiscal_year_choices, grants_signup_field


class CohortForm(forms.Form):
    name = forms.CharField(
        label=_("研修名"), max_length=100, help_text=_("例：令和8年度 地域づくり伴走支援研修")
    )
    fiscal_year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    starts_on = date_field(_("初日"))
    ends_on = date_field(_("最終日"))
    pre_deadline = date_field(
        _("事前チェックの締切日"),
        _("この日が終わると締め切られ、事前チェックの集計が表示されます。締切後の提出はできません。"),
    )
    post_deadline = date_field(
        _("事後チェックの締切日"),
        _(
            "事後チェックは、事前チェックの締切の翌日（早めに締め切ったときはその日）から受け付けます。"
            "この日が終わると締め切られ、事後チェックの集計と変化が表示されます。"
        ),
    )

    def __init__(
        self,
        *args: Any,
        organisations: Iterable[Organisation] = (),
        year: int | None = None,
        signup_orgs: Collection[str] | None = None,
        **kwargs: Any,
    ) -> None:
        """``signup_orgs``: with invite-only sign-up, the organisations (public ids) for which the
        person may let the join code create accounts; the choice is offered only if there are some
        (``offers_signup``), and refused for another organisation. None: not asked (the settings)."""
        super().__init__(*args, **kwargs)
        self.signup_orgs = signup_orgs
        if signup_orgs is not None:
            self.fields["grants_signup"] = grants_signup_field()
        fy = self.fields["fiscal_year"]
        assert isinstance(fy, forms.TypedChoiceField)
        fy.choices = fiscal_year_choices(also=year)
        fy.initial = year or fiscal_year_of(timezone.localdate())
        choices = [(str(o.public_id), o.name) for o in organisations]
        if choices:
            self.fields["organisation"] = forms.ChoiceField(
                label=_("主催する組織"),
                choices=choices,
                help_text=_("この組織の職員・管理者が、提出状況と集計を見られます。"),
                initial=choices[0][0] if len(choices) == 1 else None,
            )
            self.order_fields(["organisation"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        pre, post = data.get("pre_deadline"), data.get("post_deadline")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("最終日は初日以降の日付にしてください。"))
        if pre and post and post <= pre:
            self.add_error(
                "post_deadline", _("事後チェックの締切日は、事前チェックの締切日より後にしてください。")
            )
        if data.get("grants_signup") and data.get("organisation") not in (self.signup_orgs or ()):
            self.add_error(
                "grants_signup", _("アカウントも作成できるコードを作れるのは、主催する組織の管理者だけです。")
            )
        return data

    @property
    def offers_signup(self) -> bool:
        return bool(self.signup_orgs)


class NewCodeForm(forms.Form):
    """A new join code; under invite-only sign-up a 管理者 may let it create accounts (never 職員:
    ``services.new_join_code`` refuses)."""

    grants_signup = grants_signup_field()


class HandInForm(forms.Form):
    check_id = forms.ChoiceField(label=_("提出するチェック"))

    def __init__(self, *args: Any, checks: Iterable[Check], phase_label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        local = timezone.localtime
        field = self.fields["check_id"]
        assert isinstance(field, forms.ChoiceField)
        field.label = _("%(phase)sとして提出するチェック") % {"phase": phase_label}
        field.choices = [
            (
                str(check.public_id),
                str(_("%(when)s に提出したチェック"))
                % {"when": local(check.submitted_at).strftime("%Y年%-m月%-d日 %H:%M")},
            )
            for check in checks
        ]


class OverviewForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label=_("年度"), coerce=int)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fy = self.fields["fiscal_year"]
        assert isinstance(fy, forms.TypedChoiceField)
        now = fiscal_year_of(timezone.localdate())
        fy.choices = [
            (year, format_fiscal_year(year)) for year in range(now, now - 5, -1)
        ]  # this and 4 before
