"""Everything the application holds about one person, for them to download (JSON and xlsx).

The sections, their order and the sheets they fill come from every app's declaration
(``bansou.accounts.registry``); each section reads one table or two, so the export costs a fixed
number of queries. The workbook ends with コード表 and メタデータ, made here.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from bansou.accounts.models import User
from bansou.accounts.registry import registry
from bansou.domain.personal_data import Row
from bansou.domain.reports import Table, Workbook, code_table, metadata_table, standard_metadata
from bansou.frameworks.queries import current_version, framework_of
from bansou.reports.responses import iso


def collect(user: User) -> dict[str, Any]:
    """The person's data as plain values (what the JSON file holds), one key per section."""
    data: dict[str, Any] = {"exported_at": iso(timezone.now())}
    for section in registry().sections:
        data[section.key] = section.collect(user)
    return data


def workbook(user: User, data: dict[str, Any]) -> Workbook:
    """The same data as sheets (回答, 次の一歩, 共有と所属, 閲覧の記録, ...), then コード表 and メタデータ."""
    found = registry()
    rows: dict[str, list[Row]] = {sheet.title: [] for sheet in found.sheets}
    for section, part in found.rows:
        rows[part.sheet.title].extend(part.rows(user, data[section.key]))
    codes = [code for section in found.sections for code in section.codes(data[section.key])]
    framework = framework_of(current_version())
    meta = standard_metadata(
        framework,
        exported_at=timezone.localtime(),
        subject=f"{user.display_name}（ログインID：{user.username}）がこのアプリケーションに預けているデータのすべて",
        rules=["本人だけが出力できます。"],
    )
    sheets = tuple(Table(sheet.title, sheet.columns, tuple(rows[sheet.title])) for sheet in found.sheets)
    return Workbook((*sheets, code_table(framework, (), codes), metadata_table(meta)))
