"""A closed feedback request with a known comparison, made directly (the way to it by raters is
tested in ``test_feedback_flow``): three items apart from self, one where both agree."""

from __future__ import annotations

import datetime

from django.utils import timezone

from bansou.accounts.models import User
from bansou.checks.models import Check
from bansou.domain import feedback_codec
from bansou.domain.feedback import Comparison, ItemView
from bansou.domain.framework import Framework
from bansou.feedback.models import FeedbackRequest
from bansou.frameworks.models import FrameworkVersion

# (self practised, seen, judged) over four answers: the first three differ (1.0, 1.0, 0.5), the last not.
SHAPES = ((True, 0, 4), (False, 4, 4), (True, 2, 4), (True, 4, 4))


def codes_of(framework: Framework) -> list[str]:
    return [item.code for item in framework.items()][10:14]


def closed_request(
    owner: User,
    version: FrameworkVersion,
    framework: Framework,
    check: Check | None,
    *,
    differs: bool = True,
) -> FeedbackRequest:
    codes = codes_of(framework)
    shapes = SHAPES if differs else tuple((True, 4, 4) for _ in SHAPES)
    views = tuple(
        ItemView(c, s, seen, judged, 4 - judged) for c, (s, seen, judged) in zip(codes, shapes, strict=True)
    )
    return FeedbackRequest.objects.create(
        owner=owner,
        framework=version,
        items=codes,
        closes_on=timezone.localdate() - datetime.timedelta(days=1),
        self_check=check,
        self_practice={v.code: v.self_practised for v in views},
        closed_at=timezone.now(),
        comparison=feedback_codec.dumps(Comparison(answers=4, shown=True, items=views)),
    )
