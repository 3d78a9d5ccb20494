"""The shared field template: a hidden field is only its input, never a visible English label."""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string


class _Form(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label="メモ")


def test_a_hidden_field_has_no_label() -> None:
    form = _Form(initial={"revision": 3})
    html = "".join(render_to_string("web/_field.html", {"field": field}) for field in form)
    assert "Revision" not in html and "<label" in html  # the note's label only
    assert html.count("<label") == 1
    assert 'type="hidden" name="revision" value="3"' in html
