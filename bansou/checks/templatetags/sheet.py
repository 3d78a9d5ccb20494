"""The answer controls of one cell (item x axis), rendered in Python.

A sheet has 90 of them; as template code they were most of the page's rendering time (see bench/).
The markup is the same as a template would write: a fieldset whose legend names the item and the
question, one native radio per scale level, and the revision the page was shown at.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from bansou.checks.presenters import CellView
from bansou.domain.framework import Item, ScaleLevel

register = template.Library()


@register.simple_tag
def answer_cell(cell: CellView, item: Item, scale: tuple[ScaleLevel, ...]) -> SafeString:
    choices = format_html_join(
        "",
        '<label class="choice"><input type="radio" name="{}" value="{}"{}> {}</label>',
        (
            (cell.name, level.value, SafeString(" checked") if cell.value == level.value else "", level.label)
            for level in scale
        ),
    )
    message = _("別の画面で先に変更されたため、その回答を表示しています。") if cell.conflict else ""
    return format_html(
        '<fieldset class="axis{}" data-item="{}" data-axis="{}" data-revision="{}">'
        '<legend><span class="visually-hidden">{}{}：</span>{}</legend>{}'
        '<input type="hidden" name="{}" value="{}">'
        '<p class="cell-message" data-cell-message>{}</p></fieldset>',
        " axis-conflict" if cell.conflict else "",
        item.code,
        cell.axis.value,
        cell.revision,
        item.mark,
        item.name,
        cell.legend,
        choices,
        cell.base_name,
        cell.base_value,
        message,
    )
