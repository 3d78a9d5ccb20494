"""Feedback requests (他者からのフィードバック): a supporter asks raters, who answer without an account.

A request belongs to its supporter alone. Its answer links are invitations of the one invitation model
(kind ``feedback``, target the request, single use, a long code stored only as its digest); an answer
keeps neither the link it came by nor who answered: the app stores no rater address, name or account.
``comparison`` is what the supporter sees, made once when the request closes (``services.close``) and
never changed after; hiding a comment hides its text only.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bansou.checks.models import Check
from bansou.domain.feedback import COMMENT_LIMIT, GROUP_WORDS, MARK_WORDS, MESSAGE_LIMIT, shuffled
from bansou.frameworks.models import FrameworkVersion

GROUP_CHOICES = [(g.value, label) for g, label in GROUP_WORDS.items()]
MARK_CHOICES = [(m.value, label) for m, label in MARK_WORDS.items()]


class FeedbackRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback_requests"
    )
    framework = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="+")
    items = models.JSONField(_("尋ねる項目"))  # item codes, in the leaflet's order
    message = models.TextField(_("回答する方へのメッセージ"), max_length=MESSAGE_LIMIT, blank=True)
    closes_on = models.DateField(_("締切日"))
    created_at = models.DateTimeField(auto_now_add=True)
    # The supporter's latest submitted check when the request was made, and its 実践 by item (○: True).
    self_check = models.ForeignKey(Check, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    self_practice = models.JSONField(default=dict)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_early = models.BooleanField(default=False)  # by the supporter, before the date
    comparison = models.JSONField(null=True, blank=True)  # made at close: ``codec.dumps``
    comment_seed = models.BigIntegerField(default=0)  # the shuffled order of comments, drawn at close
    shared_with_team = models.ForeignKey(
        "teams.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("フィードバックの依頼")
        verbose_name_plural = _("フィードバックの依頼")
        indexes = [models.Index(fields=["owner", "created_at"], name="feedback_owner_time")]

    def __str__(self) -> str:
        return str(self.public_id)

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    @property
    def shown(self) -> bool:
        """Closed, and its comparison shown (three answers or more the supporter did not type in)."""
        return self.closed_at is not None and bool(self.comparison and self.comparison.get("shown"))

    def comments_in_order(self) -> list[Comment]:
        """The comments as every page and file shows them: in the order drawn at close, never the order
        they were written in (that would group them by rater); none until the comparison is shown."""
        if not self.shown:
            return []
        written = sorted(Comment.objects.filter(answer__request=self), key=lambda c: c.pk)
        return shuffled(written, self.comment_seed)


class Answer(models.Model):
    """One rater's answer, final when sent (or one paper sheet the supporter typed in)."""

    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="answers")
    group = models.CharField(_("回答した方"), max_length=20, choices=GROUP_CHOICES)
    marks = models.JSONField(default=dict)  # item code to a ``Mark`` value
    typed_in = models.BooleanField(default=False)  # from a paper sheet, by the supporter
    # The day only: no time to set beside a server's access log. Nothing points at the link it came by
    # (its use is counted on the link: one answer each), nor at a browser or an account.
    submitted_on = models.DateField(default=timezone.localdate)

    class Meta:
        verbose_name = _("フィードバックの回答")
        verbose_name_plural = _("フィードバックの回答")

    def __str__(self) -> str:
        return f"{self.request_id}/{self.pk}"


class Comment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # the hide button's
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="comments")
    item_code = models.CharField(max_length=20)
    text = models.TextField(max_length=COMMENT_LIMIT)
    hidden = models.BooleanField(default=False)  # the supporter hid its text; the answer still counts

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "item_code"], name="feedback_comment_once")]

    def __str__(self) -> str:
        return f"{self.answer_id}/{self.item_code}"


class RateWindow(models.Model):
    """Requests counted in a fixed window, per key (a link, an address): shared by every app server."""

    key = models.CharField(max_length=100)
    window = models.BigIntegerField()  # the window's number (seconds since the epoch // its length)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="feedback_rate_window")]

    def __str__(self) -> str:
        return f"{self.key}@{self.window}"
