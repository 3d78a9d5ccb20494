"""My data's sheets say codes in words (issue 13: 「役割：admin」 on the 共有と所属 sheet)."""

from __future__ import annotations

from types import SimpleNamespace

from bansou.orgs.personal_data import _belonging


def test_the_role_is_written_in_japanese() -> None:
    person = SimpleNamespace(pk=1, username="hanako")
    organisations = [{"name": "東京都 福祉局", "role": "admin", "in_pool": True}]
    ((kind, name, text),) = list(_belonging(person, organisations))
    assert (kind, name, text) == ("組織", "東京都 福祉局", "役割：管理者／人材プール：あり")
