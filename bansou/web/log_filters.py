"""Logging filters for the site.

A refusal (403) is an expected answer, not a fault: Django's request logger writes it with the
traceback of the ``PermissionDenied`` that made it, one screenful per refused request. The line
stays (who was refused what is worth a line); the traceback goes."""

from __future__ import annotations

import logging


class RefusalsWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
