from __future__ import annotations

from django import template

from bansou.domain.fiscal_year import format_fiscal_year

register = template.Library()


@register.filter
def fiscal_year(value: int) -> str:
    """「令和7年度（2025年度）」."""
    return format_fiscal_year(int(value))
