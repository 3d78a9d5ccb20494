"""The frameworks the domain tests use: the shipped leaflet and a 4-level variant, read once."""

from __future__ import annotations

from pathlib import Path

from bansou.domain.framework import Framework
from bansou.domain.framework_file import read_framework_file

REPO_ROOT = Path(__file__).resolve().parents[2]
LEAFLET_DATA = REPO_ROOT / "bansou" / "frameworks" / "data" / "leaflet-2025.toml"
FOUR_LEVEL_VARIANT = Path(__file__).resolve().parent / "data" / "four-level-variant.toml"


def load_framework(path: Path) -> Framework:
    return read_framework_file(path).framework


LEAFLET = load_framework(LEAFLET_DATA)
FOUR_LEVEL = load_framework(FOUR_LEVEL_VARIANT)
