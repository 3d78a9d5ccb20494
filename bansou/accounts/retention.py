"""How long django-axes' login records are kept: the login id, address and browser of every login and
failed login, erased ``LOGIN_RECORD_DAYS`` days after the attempt (``manage.py purge_login_records``)."""

from __future__ import annotations

import datetime

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as LoginLog
from django.db import transaction


@transaction.atomic
def purge_login_records(*, before: datetime.datetime) -> dict[str, int]:
    """Deletes the login records of attempts made before ``before``, by table: each login
    (``logins``), each failed login (``failures``) and the failure counters (``attempts``; a lockout
    lasts 30 minutes, so a counter older than that locks nobody out). Returns the numbers deleted."""
    counts = {}
    for name, model in (("logins", LoginLog), ("failures", AccessFailureLog), ("attempts", AccessAttempt)):
        counts[name] = model.objects.filter(attempt_time__lt=before).delete()[1].get(model._meta.label, 0)
    return counts
