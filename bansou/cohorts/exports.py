"""A 研修's totals as files: the 集計 sheet, its コード表 and メタデータ, built from the totals that
``disclosure.cohort_totals`` lets the page show (never from the page's context)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from bansou.cohorts.disclosure import CohortTotals
from bansou.cohorts.models import Cohort
from bansou.cohorts.presenters import CHANGE_TITLE, POST_TITLE, PRE_TITLE, hidden_text
from bansou.domain.aggregates import MIN_PEOPLE
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.framework import Framework
from bansou.domain.reports import (
    Table,
    TotalsColumn,
    Workbook,
    code_table,
    metadata_table,
    standard_metadata,
    totals_table,
)

FILE_NAME = "bansou-cohort-totals"


def totals_sheet(framework: Framework, totals: CohortTotals) -> Table:
    """集計: a block of rows per shown group; the change only when both its sides are shown."""
    change = totals.change_shown
    columns = [
        TotalsColumn("pre", str(PRE_TITLE), totals.pre.totals),
        TotalsColumn("post", str(POST_TITLE), totals.post.totals),
        TotalsColumn("paired_pre", str(CHANGE_TITLE), totals.paired_pre.totals if change else None),
        TotalsColumn("paired_post", str(CHANGE_TITLE), totals.paired_post.totals if change else None),
    ]
    return totals_table(framework, columns)


def totals_workbook(
    cohort: Cohort, framework: Framework, totals: CohortTotals, *, exported_at: datetime.datetime
) -> Workbook:
    """集計, コード表 and メタデータ (with the rules applied and why each withheld group is)."""
    return Workbook(
        (
            totals_sheet(framework, totals),
            code_table(framework, [cohort.fiscal_year], extra=_codes()),
            metadata_table(_metadata(cohort, framework, totals, exported_at)),
        )
    )


def _metadata(
    cohort: Cohort, framework: Framework, totals: CohortTotals, exported_at: datetime.datetime
) -> list[tuple[str, str]]:
    rules = [
        _(
            "%(n)d人未満の集計、表示済みの集計との差から%(n)d人未満の回答が分かる集計、"
            "およびこれまでに示した集計（どの組織のものも含む）と組み合わせると一人の回答が"
            "計算で分かる集計は出力しません（5人ルール）。"
        )
        % {"n": MIN_PEOPLE},
        _("各段階の集計は締切後にだけ出力します。"),
        _("理解・実践は、エレメントの項目の半分以上が○の人を「できている」と数えます。"),
    ]
    withheld = ((PRE_TITLE, totals.pre), (POST_TITLE, totals.post), (CHANGE_TITLE, totals.paired_pre))
    rules += [f"{title}：{hidden_text(f.withheld)}" for title, f in withheld if f.withheld is not None]
    meta = standard_metadata(
        framework,
        exported_at=exported_at,
        subject=_("研修「%(name)s」（%(year)s）の集計")
        % {"name": cohort.name, "year": format_fiscal_year(cohort.fiscal_year)},
        rules=rules,
    )
    meta.insert(1, (_("組織"), cohort.organisation.name))
    return meta


def _codes() -> list[tuple[str, str, str]]:
    return [
        ("集計コード", "pre", _("事前（事前チェックを提出した全員）")),
        ("集計コード", "post", _("事後（事後チェックを提出した全員）")),
        ("集計コード", "paired_pre", _("変化を見るための事前（事前と事後の両方を提出した人）")),
        ("集計コード", "paired_post", _("変化を見るための事後（事前と事後の両方を提出した人）")),
        ("単位コード", "element", _("エレメント")),
        ("単位コード", "item", _("項目")),
    ]
