"""The fill-in reader's problems in words: one gettext message per ``fillin.Code``.

``bansou.reports.fillin`` stays free of Django and returns problems as data; the views show
``describe(problem)`` (the place, then the sentence).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bansou.reports.fillin import Code, FillInError, Problem, choices_phrase

MESSAGES: dict[Code, Promise] = {
    Code.TOO_LARGE: gettext_lazy("ファイルが大きすぎます（上限 %(mb)s MB）。"),
    Code.EMPTY: gettext_lazy(
        "ファイルが空です。ダウンロードした記入用シートに入力し、"
        "「Excel ブック（*.xlsx）」の形式で保存したファイルを選んでください。"
    ),
    Code.NOT_XLSX: gettext_lazy(
        "xlsx 形式のファイルではありません。ダウンロードした記入用シートに入力し、"
        "「Excel ブック（*.xlsx）」の形式で保存したファイルを選んでください。"
    ),
    Code.OLD_XLS: gettext_lazy(
        "古い Excel 形式（.xls）のファイルか、パスワードで保護されたファイルです。"
        "パスワードを外し、「Excel ブック（*.xlsx）」の形式で保存し直してから選んでください。"
    ),
    Code.UNREADABLE: gettext_lazy(
        "ファイルを読み取れませんでした。ファイルが壊れているか、xlsx 形式ではない可能性があります。"
        "ダウンロードした記入用シートに入力し、"
        "「Excel ブック（*.xlsx）」の形式で保存したファイルを選んでください。"
    ),
    Code.BAD_NAME: gettext_lazy(
        "ファイルを読み取れませんでした（中に不正な名前のファイルがあります）。"
        "ダウンロードした記入用シートに入力し、"
        "「Excel ブック（*.xlsx）」の形式で保存したファイルを選んでください。"
    ),
    Code.BOMB: gettext_lazy(
        "圧縮を展開すると大きくなりすぎるファイルです。ダウンロードした記入用シートに入力し、"
        "「Excel ブック（*.xlsx）」の形式で保存したファイルを選んでください。"
    ),
    Code.ENCRYPTED: gettext_lazy(
        "暗号化されたファイルは読み取れません。パスワードを外して保存し直してから選んでください。"
    ),
    Code.ACTIVE_CONTENT: gettext_lazy(
        "マクロや外部リンクを含むファイルは受け付けません。ダウンロードした記入用シートに入力し、"
        "「Excel ブック（*.xlsx）」の形式で保存したファイルを選んでください。"
    ),
    Code.TOO_MANY_ELEMENTS: gettext_lazy(
        "セルの数が多すぎるファイルです。ダウンロードした記入用シートに入力し、"
        "「Excel ブック（*.xlsx）」の形式で保存したファイルを選んでください。"
    ),
    Code.MISSING_SHEET: gettext_lazy(
        "シート「%(name)s」がありません。"
        "ダウンロードした記入用シートのシートを削除したり名前を変えたりしないでください。"
    ),
    Code.NOT_OURS: gettext_lazy(
        "このサイトの記入用シートではありません。"
        "このサイトからダウンロードした記入用シートに入力してください。"
    ),
    Code.IS_COHORT_SHEET: gettext_lazy(
        "研修用（参加者全員分）の記入用シートです。個人のチェックには、個人用の記入用シートを使ってください。"
    ),
    Code.IS_PERSONAL_SHEET: gettext_lazy(
        "個人用の記入用シートです。研修の参加者全員分を入力するには、研修用の記入用シートを使ってください。"
    ),
    Code.OTHER_VERSION: gettext_lazy(
        "このファイルは別の版（版：%(found)s）のチェックシートです。"
        "いまのチェックシートは版：%(expected)s です。"
        "版：%(expected)s のシートをダウンロードし直してください。"
    ),
    Code.META_EDITED: gettext_lazy(
        "シート「メタデータ」が変更されています。記入用シートをダウンロードし直してください。"
    ),
    Code.OTHER_COHORT: gettext_lazy(
        "別の研修のファイルです。この研修のページから記入用シートをダウンロードし直してください。"
    ),
    Code.OLD_CODES: gettext_lazy(
        "参加者の番号の付け方が変わる前にダウンロードした入力用ファイルです。取り違えを防ぐため、"
        "このファイルは取り込めません。入力用ファイルをダウンロードし直して、入力し直してください。"
    ),
    Code.NO_ANSWERS: gettext_lazy("回答が1つも入力されていません。"),
    Code.LEFT_OUT: gettext_lazy(
        "ほかに %(count)s 件の問題があります（最初の %(kept)s 件だけを表示しています）。"
    ),
    Code.OVERFLOW: gettext_lazy("%(rows)s 行目より下にも行があります。表の外には何も入力しないでください。"),
    Code.TOO_MANY_CELLS: gettext_lazy(
        "表の外に入力されたセルが多すぎます。表の外には何も入力しないでください。"
    ),
    Code.MORE_BLANKS: gettext_lazy("%(row)s 行目には、ほかにも空欄が %(count)s 個あります。"),
    Code.FORMULA: gettext_lazy("数式は使えません。値を入力してください。"),
    Code.CHANGED: gettext_lazy("このセルは変更できません（元の値：「%(expected)s」）。"),
    Code.MOVED: gettext_lazy(
        "このセルは変更できません（元の値：「%(expected)s」）。"
        "行を削除・挿入したり並べ替えたりしないでください。"
    ),
    Code.OUTSIDE: gettext_lazy("表の外のセルには入力できません（入力値：「%(value)s」）。"),
    Code.BAD_VALUE: gettext_lazy("%(choices)sを入力してください（入力値：「%(value)s」）。"),
    Code.BLANK: gettext_lazy(
        "回答が空欄です。回答する参加者の行は、"
        "すべての項目の「%(understanding)s」と「%(practice)s」を入力してください。"
    ),
    Code.UNKNOWN_PARTICIPANT: gettext_lazy("参加者番号「%(code)s」の人は、この研修の参加者ではありません。"),
    Code.DUPLICATE: gettext_lazy("参加者番号「%(code)s」が重複しています（セル %(first)s と同じです）。"),
}


def message(problem: Problem) -> str:
    """The sentence for the problem, without its place."""
    params: dict[str, object] = dict(problem.params)
    labels = params.pop("labels", None)
    if isinstance(labels, tuple):
        params["choices"] = choices_phrase(labels)  # the workbook's own wording of its choices
    return str(MESSAGES[problem.code]) % params


def describe(problem: Problem) -> str:
    """What a person is shown: where (the sheet, and the cell when there is one), then what is wrong."""
    text = message(problem)
    if problem.sheet is None:
        return text
    if problem.cell is None:
        return _("シート「%(sheet)s」：%(message)s") % {"sheet": problem.sheet, "message": text}
    return _("シート「%(sheet)s」のセル %(cell)s：%(message)s") % {
        "sheet": problem.sheet,
        "cell": problem.cell,
        "message": text,
    }


def describe_all(problems: FillInError | Iterable[Problem]) -> list[str]:
    """Every problem of a refused upload, described, in the order the reader gave them."""
    found = problems.problems if isinstance(problems, FillInError) else problems
    return [describe(problem) for problem in found]
