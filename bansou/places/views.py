"""The picker: find a 市区町村 by 都道府県, name, reading or code, and choose it for the page that asked."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from bansou.places.forms import MunicipalitySearchForm
from bansou.places.models import Municipality
from bansou.places.queries import ranks_by_closeness, search_municipalities
from bansou.places.services import current_list

LIMIT = 100


def _safe_next(request: HttpRequest) -> str | None:
    """The ``next`` address if it is a path on this site (never an open redirect)."""
    target = request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    parts = urlsplit(target)
    return target if allowed and target.startswith("/") and not parts.scheme and not parts.netloc else None


def choose_url(next_url: str, municipality: Municipality) -> str:
    """``next_url`` with ``municipality=<団体コード>`` (replacing one already there)."""
    parts = urlsplit(next_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "municipality"]
    query.append(("municipality", municipality.lgcode))
    return urlunsplit(parts._replace(query=urlencode(query)))


@require_safe
def municipalities(request: HttpRequest) -> HttpResponse:
    """Public: the list is public data. ``?next=/path`` adds a 「選ぶ」 link to each row."""
    form = MunicipalitySearchForm(request.GET or None)
    next_url = _safe_next(request)
    rows: list[tuple[Municipality, str | None]] = []
    total = 0
    by_closeness = False
    if form.is_bound and not form.is_valid():
        searched = False
    else:
        data = form.cleaned_data if form.is_bound else {}
        found = search_municipalities(prefecture=data.get("pref", ""), text=data.get("q", ""))
        total = found.count()
        rows = [(m, choose_url(next_url, m) if next_url else None) for m in found[:LIMIT]]
        searched = True
        by_closeness = ranks_by_closeness(data.get("q", ""))
    context = {
        "form": form,
        "rows": rows,
        "total": total,
        "total_display": f"{total:,}",
        "more": total > LIMIT,
        "limit": LIMIT,
        "searched": searched,
        "by_closeness": by_closeness,
        "next": next_url,
        "municipality_list": current_list(),
    }
    return render(request, "places/municipalities.html", context)
