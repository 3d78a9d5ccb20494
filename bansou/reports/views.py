"""Downloads: all of one's own data (JSON, xlsx)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from bansou.accounts.http import AuthedRequest
from bansou.reports import mydata, responses


@login_required
@never_cache
@require_GET
def my_json(request: AuthedRequest) -> HttpResponse:
    data = mydata.collect(request.user)
    body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    return responses.download(
        body, "application/json; charset=utf-8", f"bansou-mydata-{responses.stamp()}.json"
    )


@login_required
@never_cache
@require_GET
def my_xlsx(request: AuthedRequest) -> HttpResponse:
    book = mydata.workbook(request.user, mydata.collect(request.user))
    return responses.xlsx(book, "bansou-mydata")
