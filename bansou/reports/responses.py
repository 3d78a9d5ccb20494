"""Download responses: xlsx, and CSV in UTF-8 with BOM or, on request, CP932 (refused politely).

Every file the application hands out (tables rendered by ``render``, fill-in workbooks, my data as
JSON, PDFs from ``pdf``) is answered by ``download``: the one place its headers are written."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from bansou.domain.reports import Table, Workbook
from bansou.reports import render


def download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    """``body`` as an attachment named ``filename``, kept by no cache on the way."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def stamp() -> str:
    """The local time in file names, so that two downloads of a day do not overwrite each other."""
    return timezone.localtime().strftime("%Y%m%d-%H%M")


def iso(moment: datetime.datetime | datetime.date | None) -> str | None:
    """A moment as exports write it: ISO 8601, a time in local time (日本時間) to the second."""
    if moment is None:
        return None
    if isinstance(moment, datetime.datetime):
        return timezone.localtime(moment).isoformat(timespec="seconds")
    return moment.isoformat()


def xlsx(book: Workbook, stem: str) -> HttpResponse:
    return download(render.xlsx(book), render.XLSX, f"{stem}-{stamp()}.xlsx")


def csv(request: HttpRequest, table: Table, stem: str, *, back: str) -> HttpResponse:
    """UTF-8 with BOM; with ``?encoding=cp932`` Shift_JIS, or back to ``back`` with a message naming
    the characters CP932 cannot write."""
    if request.GET.get("encoding") != "cp932":
        return download(render.csv_bytes(table), render.CSV_UTF8, f"{stem}-{stamp()}.csv")
    try:
        body = render.csv_bytes(table, "cp932")
    except render.Unencodable as error:
        messages.error(
            request,
            _(
                "Shift_JIS（CP932）では書けない文字が含まれているため、出力できません：%(chars)s。"
                "UTF-8 の CSV を使ってください。"
            )
            % {"chars": "、".join(error.characters)},
        )
        return redirect(back)
    return download(body, render.CSV_CP932, f"{stem}-{stamp()}-sjis.csv")
