"""The team map as tables for xlsx and CSV: rows of its own (not scraped from the page's context),
with the code table and the metadata of every bansou export."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from bansou.checks.presenters import QUADRANTS
from bansou.domain.coverage import labels_of
from bansou.domain.fiscal_year import format_fiscal_year
from bansou.domain.framework import Framework
from bansou.domain.reports import (
    MAP_UNITS,
    MapRow,
    Table,
    Workbook,
    code_table,
    metadata_table,
    standard_metadata,
    team_map_table,
)
from bansou.teams import queries
from bansou.teams.models import Team
from bansou.teams.presenters import roles_label


def map_rows(team: Team, framework: Framework) -> list[MapRow]:
    """Each member as the team page's two maps show them: standings of the elements and of the C
    labels, only from a check they shared with the team (``team_map_table`` leaves the others empty)."""
    members = queries.members_of(team)
    shared = queries.shared_checks(team)
    numbers = {e.number for e in framework.elements}
    codes = {label.code for label in labels_of(framework)}
    return [
        MapRow(
            name=member.user.display_name,
            roles=roles_label(member.roles),
            shared=member.user_id in shared,
            standings={n: s for n, s in (profile.standings or {}).items() if n in numbers},
            labels={c: s for c, s in (profile.labels or {}).items() if c in codes},
        )
        for member, profile in zip(members, queries.profiles(members, shared), strict=True)
    ]


def map_table(team: Team, framework: Framework) -> Table:
    return team_map_table(framework, map_rows(team, framework))


def map_workbook(team: Team, framework: Framework) -> Workbook:
    """チームマップ (the elements and the C labels), コード表 and メタデータ."""
    meta = standard_metadata(
        framework,
        exported_at=timezone.localtime(),
        subject=_("%(team)s・%(year)s のチームマップ（エレメントごと・C の力ごと）")
        % {"team": team.label, "year": format_fiscal_year(team.fiscal_year)},
        rules=[
            _("チームに共有したメンバーだけの結果を出力しています。共有していないメンバーの数値は空欄です。"),
            _("理解・実践は、エレメントの項目の半分以上が○のとき「できている」とみなします。"),
            _(
                "C の力は、2枚目のシートでその力に○がついているとき"
                "「理解している」「実践できている」とみなします"
                "（エレメントでもある力は、そのエレメントの項目で判定します）。"
            ),
        ],
    )
    extra = [("共有コード", "shared", _("共有している")), ("共有コード", "not_shared", _("共有していない"))]
    extra += [("単位コード", code, title) for code, title in MAP_UNITS]
    extra += [("C の力コード", label.code, label.name) for label in labels_of(framework)]
    extra += [("位置コード", q.value, str(title)) for q, title, _text in QUADRANTS]
    codes = code_table(framework, [team.fiscal_year], extra=extra)
    return Workbook((map_table(team, framework), codes, metadata_table(meta)))
