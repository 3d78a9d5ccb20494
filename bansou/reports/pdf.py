"""PDF reports: a page's own template, laid out for A4 by WeasyPrint.

A page view renders either HTML or, given ``as_pdf``, the same template and context as a PDF (its
base template swapped for ``reports/pdf_base.html``, which has no navigation, forms or script). The
PDF fetches nothing: every URL it names is refused, and the style is the app's own print stylesheet
passed in, ``reports/pdf.css``, written for WeasyPrint alone (site.css is for screens: WeasyPrint
would ignore much of it, with a warning each). Pages are A4 portrait; a template whose tables need
the width puts its PDF on A4 landscape with ``{% block body_class_pdf %} pdf-wide{% endblock %}``.
The Japanese font comes from the system (fonts-noto-cjk) and WeasyPrint embeds the subset of it
the document uses, so the file reads the same on a machine without the font.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from bansou.reports import responses

PDF = "application/pdf"
_shared: dict[Hashable, bytes] = {}  # PDFs that are the same for everyone, by cache key
PDF_BASE = "reports/pdf_base.html"
STYLESHEETS = ("reports/pdf.css",)  # site.css is for screens: WeasyPrint would ignore much of it, loudly


class Unavailable(Exception):
    """WeasyPrint cannot load: the system lacks Pango (the app runs on; PDF links say so)."""


@functools.cache
def _engine() -> Any:
    """WeasyPrint, imported on first use so that a server without Pango still starts."""
    try:
        import weasyprint  # type: ignore[import-untyped]  # no stubs; used through Any
    except OSError as error:  # cannot load libpango / libharfbuzz
        raise Unavailable(str(error)) from error
    return weasyprint


@functools.cache
def _fetcher() -> Any:
    engine = _engine()

    class NoFetching(engine.URLFetcher):  # type: ignore[misc,name-defined]
        """Refuses every URL: a report is built from what the application passes in, nothing else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"PDF reports fetch nothing ({url})")

    return NoFetching()


@functools.cache
def _stylesheets() -> tuple[Any, ...]:
    engine = _engine()
    sheets = []
    for name in STYLESHEETS:
        path = finders.find(name)
        if not isinstance(path, str):
            raise FileNotFoundError(name)
        sheets.append(engine.CSS(string=Path(path).read_text("utf-8"), url_fetcher=_fetcher()))
    return tuple(sheets)


def layout(
    request: HttpRequest | None, template: str, context: Mapping[str, Any], *, stamped: bool = True
) -> Any:
    """The template laid out for print in A4 pages (a WeasyPrint document); ``stamped``: with the
    time it was made."""
    printed_at = timezone.localtime() if stamped else None
    html = render_to_string(
        template,
        {**context, "base_template": PDF_BASE, "pdf": True, "printed_at": printed_at},
        request=request,
    )
    document = _engine().HTML(string=html, url_fetcher=_fetcher(), media_type="print")
    return document.render(stylesheets=_stylesheets())


def pdf_bytes(
    request: HttpRequest | None, template: str, context: Mapping[str, Any], *, stamped: bool = True
) -> bytes:
    """The template rendered for print as an A4 PDF; ``stamped``: with the time it was made."""
    return bytes(layout(request, template, context, stamped=stamped).write_pdf())


def respond(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any],
    *,
    pdf_name: str | None = None,
    status: int = 200,
    cache_key: Hashable | None = None,
) -> HttpResponse:
    """The page, or with ``pdf_name`` the same page as a PDF download of that file name.

    ``cache_key``: the PDF is the same for everyone (the blank sheet of a framework version): made
    once per process, without the time it was made, so that anyone asking for it again costs nothing.
    """
    if pdf_name is None:
        return render(request, template, context, status=status)
    try:
        if cache_key is None:
            body = pdf_bytes(request, template, context)
        else:
            if cache_key not in _shared:
                _shared[cache_key] = pdf_bytes(None, template, context, stamped=False)
            body = _shared[cache_key]
    except Unavailable:
        message = _("このサーバーでは PDF を作成できません（Pango がありません）。管理者にお知らせください。")
        return HttpResponse(message, content_type="text/plain; charset=utf-8", status=503)
    return responses.download(body, PDF, f"{pdf_name}-{responses.stamp()}.pdf")
