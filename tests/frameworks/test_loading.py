"""Loading framework files into the database: idempotent, versioned, any valid file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from bansou.checks.access import Holder
from bansou.checks.services import get_or_start_draft
from bansou.domain.framework_file import FrameworkFileError
from bansou.frameworks.models import FrameworkVersion, Item
from bansou.frameworks.services import load_framework_file
from tests.conftest import DATA, make_user

pytestmark = pytest.mark.django_db
LEAFLET = Path(settings.FRAMEWORK_DATA_DIR) / "leaflet-2025.toml"


def test_loading_twice_stores_one_version_with_its_items() -> None:
    first = load_framework_file(LEAFLET)
    second = load_framework_file(LEAFLET)

    assert first.created and not second.created
    assert FrameworkVersion.objects.count() == 1
    assert Item.objects.count() == 45
    assert Item.objects.filter(sheet="checklist").count() == 29


def test_a_changed_file_under_the_same_version_is_refused(tmp_path: Path) -> None:
    load_framework_file(LEAFLET)
    changed = tmp_path / "leaflet-2025.toml"
    changed.write_text(LEAFLET.read_text(encoding="utf-8").replace("説明", "解説", 1), encoding="utf-8")

    with pytest.raises(FrameworkFileError, match="version を上げてください"):
        load_framework_file(changed)


def test_a_new_version_becomes_the_one_new_checks_use(tmp_path: Path) -> None:
    load_framework_file(LEAFLET)
    newer = tmp_path / "leaflet-2026.toml"
    newer.write_text(
        LEAFLET.read_text(encoding="utf-8").replace('version = "2025.1"', 'version = "2026.1"'),
        encoding="utf-8",
    )

    load_framework_file(newer)

    assert list(FrameworkVersion.objects.filter(active=True).values_list("version", flat=True)) == ["2026.1"]


def test_the_command_names_the_file_and_entry_of_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(
        LEAFLET.read_text(encoding="utf-8").replace("number = 9", "number = 8", 1), encoding="utf-8"
    )

    with pytest.raises(CommandError, match=r"broken\.toml: elements\[8\]"):
        call_command("load_frameworks", str(broken))


def test_a_four_level_framework_loads_and_is_answered_without_code_changes(tmp_path: Path) -> None:
    path = tmp_path / "four.toml"
    shutil.copy(DATA / "four-level-variant.toml", path)
    version = load_framework_file(path).version
    user = make_user("hanako", "伴走 花子")
    draft = get_or_start_draft(holder=Holder(user_id=user.pk), version=version)
    client = Client()
    client.force_login(user)

    html = client.get(reverse("checks:sheet", args=[draft.public_id])).content.decode()

    assert html.count('type="radio"') == 4 * 2 * Item.objects.filter(framework=version).count()
    assert "ある程度できている" in html
