"""Downloads of the self-check: one check's answers (xlsx; CSV in UTF-8 with BOM or CP932), and the blank
fill-in workbook to fill in with Excel and upload again (checks:import).

They take the same access as their page (``access.get_own_check``: the owner, or the visitor who made it);
the rows come from a typed table (``domain.reports``), rendered and answered by ``reports``.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

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
from bansou.frameworks.queries import current_version, framework_of
from bansou.reports import fillin, render, responses


@never_cache
@require_safe
def answers_xlsx(request: HttpRequest, check_id: str) -> HttpResponse:
    check, framework, table = _check_table(request, check_id)
    meta = standard_metadata(
        framework,
        exported_at=timezone.localtime(),
        subject=_("セルフチェック1回分の回答"),
    )
    book = Workbook((table, code_table(framework, [check.fiscal_year]), metadata_table(meta)))
    return responses.xlsx(book, "bansou-check")


@never_cache
@require_safe
def answers_csv(request: HttpRequest, check_id: str) -> HttpResponse:
    check, _framework, table = _check_table(request, check_id)
    return responses.csv(
        request, table, "bansou-check", back=reverse("checks:result", args=[check.public_id])
    )


def _check_table(request: HttpRequest, check_id: str) -> tuple[Check, Framework, Table]:
    check = access.get_own_check(request, check_id)
    framework = framework_of(check.framework)
    person = request.user.get_username() if request.user.is_authenticated else _("未登録の利用者")
    record = CheckRecord(
        person=person,
        check_id=str(check.public_id),
        submitted_at=check.submitted_at,
        fiscal_year=check.fiscal_year,
        framework_version=check.framework.version,
        answers=answers_of(check),
    )
    return check, framework, answers_table(framework, [record], timezone.get_current_timezone())


@never_cache
@require_safe
def blank_xlsx(request: HttpRequest) -> HttpResponse:
    """The check sheet to fill in with Excel and upload again (checks:import)."""
    framework = framework_of(current_version())
    return responses.download(
        fillin.blank_personal(framework), render.XLSX, f"bansou-check-sheet-{framework.version}.xlsx"
    )
