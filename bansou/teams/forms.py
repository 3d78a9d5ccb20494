from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansou.accounts.models import User
from bansou.domain.coverage import labels_of
from bansou.domain.fiscal_year import fiscal_year_of
from bansou.domain.framework import Framework
from bansou.domain.roles import ROLES
from bansou.orgs.models import Organisation
from bansou.places.forms import MunicipalityField
from bansou.teams.models import Team, TeamMember
from bansou.web.fields import fiscal_year_choices

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def roles_field(label: StrOrPromise) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=ROLES,
        required=True,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("当てはまるものをすべて選んでください。"),
        error_messages={"required": _("役割を一つ以上選んでください。")},
    )


def organisation_field(
    organisations: Iterable[Organisation], label: StrOrPromise, help_text: StrOrPromise
) -> forms.ModelChoiceField:  # type: ignore[type-arg]
    ids = [o.pk for o in organisations]
    return forms.ModelChoiceField(
        label=label,
        queryset=Organisation.objects.filter(pk__in=ids).order_by("name"),
        required=False,
        empty_label=_("（なし）"),
        help_text=help_text,
    )


class TeamForm(forms.Form):
    municipality = MunicipalityField(label=_("支援する市町村（団体コード）"))
    fiscal_year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    name = forms.CharField(
        label=_("チーム名"), required=False, max_length=100, help_text=_("任意。例：第1支援チーム")
    )
    roles = roles_field(_("あなたのチームでの役割"))

    def __init__(self, *args: Any, organisations: Iterable[Organisation] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fy = self.fields["fiscal_year"]
        assert isinstance(fy, forms.TypedChoiceField)
        fy.choices = fiscal_year_choices()
        fy.initial = fiscal_year_of(timezone.localdate())
        self.fields["organisation"] = organisation_field(
            organisations,
            _("運営する組織"),
            _("この組織の職員は、チームの不足と、組織の人材プールから補える人を見られます。"),
        )


class JoinTeamForm(forms.Form):
    roles = roles_field(_("チームでの役割"))

    def __init__(self, *args: Any, organisations: Iterable[Organisation] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["affiliation"] = organisation_field(
            organisations, _("所属"), _("チームのメンバー一覧に表示されます。")
        )


class InviteForm(forms.Form):
    """How a lead invites: single-use, or needing their approval of each join (``services.Invite``).
    A request without a choice is single-use, the stricter of the two."""

    how = forms.ChoiceField(
        label=_("招待の方法"),
        choices=[
            (
                "single",
                _("1人だけが使える招待（最初に使った1人がすぐに参加します。そのあとは誰も使えません）"),
            ),
            (
                "approval",
                _(
                    "参加に承認が必要な招待（使った人は参加を申し込み、リーダーが承認するとメンバーになります）"
                ),
            ),
        ],
        widget=forms.RadioSelect,
        initial="single",
        required=False,
    )
    note = forms.CharField(
        label=_("メモ（誰に渡すか）"),
        max_length=200,
        required=False,
        help_text=_("招待の一覧で見分けるためのメモです。招待された人には表示されません。"),
    )


class MemberForm(forms.ModelForm):  # type: ignore[type-arg]
    roles = roles_field(_("役割"))

    class Meta:
        model = TeamMember
        fields = ("roles", "is_lead")


class SettingsForm(forms.Form):
    name = forms.CharField(label=_("チーム名"), required=False, max_length=100)
    fiscal_year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    needed = forms.IntegerField(
        label=_("C の各エレメントを実践できる人数の目安"),
        min_value=1,
        max_value=20,
        help_text=_(
            "「チーム全体で備えるべき力」の各エレメントについて、実践できるメンバーが何人いればよいか。"
        ),
    )

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {
            "municipality": MunicipalityField(
                label=_("支援する市町村（団体コード）"),
                keep=team.municipality,
                help_text=_("6桁の数字（例：千代田区は 131016）。間違えて選んだときは、ここで直せます。"),
            ),
            **self.fields,
        }
        fy = self.fields["fiscal_year"]
        assert isinstance(fy, forms.TypedChoiceField)
        fy.choices = fiscal_year_choices(also=team.fiscal_year)


class AssignmentForm(forms.Form):
    """担当: for each element, the members who take responsibility for it."""

    def __init__(self, *args: Any, framework: Framework, members: list[TeamMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(m.pk, str(m.user)) for m in members]
        for element in framework.elements:
            self.fields[f"element_{element.number}"] = forms.TypedMultipleChoiceField(
                label=f"{element.number}. {element.name}",
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )


def label_choice(name: str, element: int | None) -> str:
    """A C label as the pool search offers it: the leaflet's words, and the element it is, if any."""
    if element is None:
        return name
    return str(_("%(name)s（エレメント %(n)d）")) % {"name": name, "n": element}


class PoolSearchForm(forms.Form):
    elements = forms.TypedMultipleChoiceField(
        label=_("探すエレメント"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "選んだエレメントを実践できている人を探します。エレメントか下の力を、一つ以上選んでください。"
        ),
    )
    labels = forms.MultipleChoiceField(
        label=_("探す力（C チーム全体で備えるべき力）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "リーフレットの表の C の力です。2枚目のシートで、その力に「実践できている」と答えた人を探します。"
        ),
    )
    fiscal_year = forms.TypedChoiceField(
        label=_("年度"), coerce=int, help_text=_("この年度に入っているチームの数を表示します。")
    )

    def __init__(self, *args: Any, framework: Framework, team_year: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        elements = self.fields["elements"]
        assert isinstance(elements, forms.TypedMultipleChoiceField)
        elements.choices = [(e.number, f"{e.number}. {e.name}") for e in framework.elements]
        labels = self.fields["labels"]
        assert isinstance(labels, forms.MultipleChoiceField)
        labels.choices = [
            (label.code, label_choice(label.name, label.element)) for label in labels_of(framework)
        ]
        fy = self.fields["fiscal_year"]
        assert isinstance(fy, forms.TypedChoiceField)
        fy.choices = fiscal_year_choices(also=team_year)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("elements") and not cleaned.get("labels"):
            self.add_error(
                "elements",
                forms.ValidationError(
                    _("エレメントか力（C）を一つ以上選んでください。"), code="nothing_wanted"
                ),
            )
        return cleaned


def user_label(user: User) -> str:
    return str(user)


ACCEPT, DECLINE = "accept", "decline"


class AnswerForm(forms.Form):
    """The answer to an offer of a place in a team: its page's two buttons."""

    answer = forms.ChoiceField(label=_("回答"), choices=[(ACCEPT, _("参加する")), (DECLINE, _("辞退する"))])


class LeadForm(forms.Form):
    """Whom to ask to lead a team with no lead (``offers.lead_candidates``)."""

    person = forms.TypedChoiceField(label=_("リーダーを頼む人"), coerce=int)

    def __init__(self, *args: Any, candidates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.TypedChoiceField)
        person.choices = [(str(pk), name) for pk, name in candidates]
