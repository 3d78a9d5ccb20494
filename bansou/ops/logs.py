"""Log lines as one JSON object each (production), with no one's name, login ID or answers.

A line has the time (UTC, ISO 8601), level, logger, message, the request's id and the signed-in
person's user id (``bansou.ops.request_ids``), and for an access line its method, URL name, status and
duration. Nothing else of a record is written: Django's request logger attaches the request itself,
which is never dumped. An exception is written as its type and where it was raised, without its
message: a database error's message can quote a row (``Key (username)=(…) already exists``).

django-axes names the login ID in its lines about failed logins; ``axes_client_str`` gives it the
address and path only.
"""

from __future__ import annotations

import datetime
import json
import logging
import traceback
from typing import Any

from bansou.ops.request_ids import current_request_id, current_user_id

ACCESS_FIELDS = ("method", "view", "status", "duration_ms")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "timestamp": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": current_request_id(),
            "user_id": current_user_id(),
        }
        for field in ACCESS_FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info and record.exc_info[1] is not None:
            line["exception"] = exception_without_message(record.exc_info[1])
        return json.dumps(line, ensure_ascii=False, default=str)


def exception_without_message(error: BaseException) -> str:
    """The exception's type and the frames it passed through, without its message."""
    frames = "".join(traceback.format_tb(error.__traceback__))
    kind = type(error)
    return f"{frames}{kind.__module__}.{kind.__qualname__}"


def axes_client_str(username: str, ip_address: str, user_agent: str, path_info: str, request: object) -> str:
    """How django-axes names a client in its log lines: never the login ID it was tried with."""
    return json.dumps({"ip_address": ip_address, "path_info": path_info}, ensure_ascii=False)
