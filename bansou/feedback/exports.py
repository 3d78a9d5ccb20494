"""The comparison kept at close as tables for xlsx and CSV: rows of the stored comparison (not scraped
from the page), the comments in the page's order without the text of those the supporter hid, and
what the file is."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from bansou.domain import feedback_codec
from bansou.domain.feedback import GROUP_WORDS, MIN_RATERS, PLACE_WORDS, ItemView
from bansou.domain.framework import Framework, Item
from bansou.domain.reports import Cell, Column, Table, Workbook, metadata_table
from bansou.feedback.models import FeedbackRequest
from bansou.feedback.presenters import asked_items, self_word

FILE_NAME = "bansou-feedback"
OVERALL = "全体"

COMPARISON_COLUMNS = (
    Column("scope", "集計の範囲"),
    Column("answers", "回答数", text=False),
    Column("item", "項目コード"),
    Column("item_name", "項目"),
    Column("self", "自分（実践）"),
    Column("seen", "周り：「できていると感じる」", text=False),
    Column("judged", "周り：判断した人", text=False),
    Column("unknown", "わからない", text=False),
    Column("place", "位置"),
)

COMMENT_COLUMNS = (
    Column("item", "項目コード"),
    Column("item_name", "項目"),
    Column("state", "表示"),
    Column("text", "コメント"),
)


def _rows(
    scope: str, answers: int, items: Sequence[Item], views: Sequence[ItemView]
) -> list[tuple[Cell, ...]]:
    by_code = {v.code: v for v in views}
    found: list[tuple[Cell, ...]] = []
    for item in items:
        view = by_code.get(item.code)
        if view is None:
            continue
        place = PLACE_WORDS[view.place] if view.place and scope == OVERALL else None
        found.append(
            (
                scope,
                answers,
                item.code,
                f"{item.mark}{item.name}",
                self_word(view.self_practised),
                view.seen,
                view.judged,
                view.unknown,
                place,
            )
        )
    return found


def comparison_table(framework: Framework, request: FeedbackRequest) -> Table:
    """比較: the overall figures, then each rater group the page breaks them down by."""
    assert request.comparison is not None
    comparison = feedback_codec.loads(request.comparison)
    items = asked_items(framework, request)
    rows = _rows(OVERALL, comparison.answers, items, comparison.items)
    for group in comparison.by_group:
        rows += _rows(GROUP_WORDS[group.group], group.answers, items, group.items)
    return Table("比較", COMPARISON_COLUMNS, tuple(rows))


def comments_table(framework: Framework, request: FeedbackRequest) -> Table:
    """コメント: in the order the page shows them (drawn at close); a hidden one without its text."""
    names = {i.code: i for i in asked_items(framework, request)}
    rows: list[tuple[Cell, ...]] = []
    for comment in request.comments_in_order():
        item = names.get(comment.item_code)
        rows.append(
            (
                comment.item_code,
                f"{item.mark}{item.name}" if item else None,
                "非表示" if comment.hidden else "表示",
                None if comment.hidden else comment.text,
            )
        )
    return Table("コメント", COMMENT_COLUMNS, tuple(rows))


def workbook(framework: Framework, request: FeedbackRequest) -> Workbook:
    closed = timezone.localtime(request.closed_at) if request.closed_at else None
    meta = [
        ("内容", "他者からのフィードバック：自分のセルフチェックと周りの見方の比較（締め切った時点のもの）"),
        ("フレームワーク", framework.title),
        ("フレームワークの版", framework.version),
        ("締め切った日時（日本時間）", closed.isoformat(timespec="seconds") if closed else ""),
        ("出力日時（日本時間）", timezone.localtime().isoformat(timespec="seconds")),
        ("適用したルール", f"依頼した人が知らない回答が{MIN_RATERS}件以上あるときだけ集計を出力します。"),
        ("適用したルール", "「自分」は依頼を作ったときの最新のセルフチェックの実践（○・×、—は未回答）です。"),
        (
            "適用したルール",
            "「周り」は判断した人（「わからない」を除く）のうち「できていると感じる」と答えた人数です。",
        ),
        ("適用したルール", "コメントは名前も立場もつけず、回答の順とは関係のない並びです。"),
        ("適用したルール", "本文を隠したコメントは、本文を出力しません。"),
    ]
    return Workbook(
        (comparison_table(framework, request), comments_table(framework, request), metadata_table(meta))
    )
