"""Forms of the 市町村 list: the picker's search, and a 団体コード field for other apps' forms."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bansou.domain.lgcode import is_valid_lgcode
from bansou.places.models import Municipality
from bansou.places.queries import prefecture_choices

__all__ = ["MunicipalityField", "MunicipalityInput", "MunicipalitySearchForm", "prefecture_choices"]


class MunicipalityInput(forms.TextInput):
    """The 団体コード box, and under it the 市町村 the code names:
    「選んだ市町村：東京都 千代田区（131016）」."""

    template_name = "places/widgets/municipality.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        code = "".join(unicodedata.normalize("NFKC", str(value or "")).split())
        context["widget"]["chosen"] = (
            Municipality.objects.select_related("prefecture").filter(lgcode=code).first()
            if is_valid_lgcode(code)
            else None
        )
        return context


class MunicipalityField(forms.CharField):
    """A 6-digit 全国地方公共団体コード (full-width digits accepted) → the active :class:`Municipality`.

    ``keep`` is a municipality accepted although it left the list (the one a team already names).
    """

    widget = MunicipalityInput

    default_error_messages = {
        "invalid_code": _("団体コードが正しくありません（6桁、検査数字を含む）"),
        "unknown": _("この団体コードの市区町村は、市町村一覧にありません。"),
    }

    def __init__(self, *, keep: Municipality | None = None, **kwargs: Any) -> None:
        self.keep = keep
        kwargs.setdefault("label", _("団体コード"))
        kwargs.setdefault("help_text", _("6桁の数字（例：千代田区は 131016）"))
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = {**super().widget_attrs(widget), "inputmode": "numeric", "autocomplete": "off"}
        return {**attrs, "data-municipality-code": ""}

    def prepare_value(self, value: Any) -> Any:
        return value.lgcode if isinstance(value, Municipality) else value

    def to_python(self, value: Any) -> str:
        if isinstance(value, Municipality):
            return value.lgcode
        text = super().to_python(value) or ""
        return "".join(unicodedata.normalize("NFKC", text).split())

    def clean(self, value: Any) -> Municipality | None:
        code = self.to_python(value)
        self.validate(code)
        self.run_validators(code)
        if code in self.empty_values:
            return None
        if not is_valid_lgcode(code):
            raise forms.ValidationError(self.error_messages["invalid_code"], code="invalid_code")
        municipality = Municipality.objects.select_related("prefecture").filter(lgcode=code).first()
        if municipality is None or not (municipality.active or municipality == self.keep):
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        return municipality


class MunicipalitySearchForm(forms.Form):
    pref = forms.ChoiceField(label=_("都道府県"), required=False)
    q = forms.CharField(
        label=_("名前・よみがな・団体コード"),
        required=False,
        max_length=40,
        help_text=_("名前の一部、よみがなの始め（ひらがな・カタカナ）、団体コードの始め（2〜6桁）のどれか"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["pref"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("すべて")), *prefecture_choices()]
