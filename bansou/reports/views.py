"""Downloads: a check's answers (xlsx, CSV in UTF-8 with BOM or CP932), and all of one's own data."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from bansou.accounts.models import User
from bansou.checks import access
from bansou.checks.models import Check
from bansou.checks.queries import answers_of
from bansou.domain.framework import Framework
from bansou.domain.reports import (
    CheckRecord,
    Table,
    Workbook,
    answers_table,
    code_table,
    metadata_table,
    standard_metadata,
)
from bansou.frameworks.queries import framework_of
from bansou.reports import mydata, render


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


@never_cache
@require_GET
def check_xlsx(request: HttpRequest, check_id: str) -> HttpResponse:
    check, framework, table = _check_table(request, check_id)
    meta = standard_metadata(
        framework,
        exported_at=timezone.localtime(),
        subject=_("セルフチェック1回分の回答"),
    )
    book = Workbook((table, code_table(framework, [check.fiscal_year]), metadata_table(meta)))
    return _download(render.xlsx(book), render.XLSX, f"bansou-check-{_stamp()}.xlsx")


@never_cache
@require_GET
def check_csv(request: HttpRequest, check_id: str) -> HttpResponse:
    check, _framework, table = _check_table(request, check_id)
    if request.GET.get("encoding") == "cp932":
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
            return redirect("checks:result", check.public_id)
        return _download(body, render.CSV_CP932, f"bansou-check-{_stamp()}-sjis.csv")
    return _download(render.csv_bytes(table), render.CSV_UTF8, f"bansou-check-{_stamp()}.csv")


def _check_table(request: HttpRequest, check_id: str) -> tuple[Check, Framework, Table]:
    check = access.get_own_check(request, check_id)
    framework = framework_of(check.framework)
    person = request.user.username if isinstance(request.user, User) else "visitor"
    record = CheckRecord(
        person=person,
        check_id=str(check.public_id),
        submitted_at=check.submitted_at,
        fiscal_year=check.fiscal_year,
        framework_version=check.framework.version,
        answers=answers_of(check),
    )
    return check, framework, answers_table(framework, [record], timezone.get_current_timezone())


@login_required
@never_cache
@require_GET
def my_json(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    data = mydata.collect(request.user)
    body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    return _download(body, "application/json; charset=utf-8", f"bansou-mydata-{_stamp()}.json")


@login_required
@never_cache
@require_GET
def my_xlsx(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    book = mydata.workbook(request.user, mydata.collect(request.user))
    return _download(render.xlsx(book), render.XLSX, f"bansou-mydata-{_stamp()}.xlsx")
