"""The check that the suite stands alone (tests/standalone.py) sees what it must, and only that."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from tests import standalone
from tests.standalone import Watch, watching


def test_this_session_is_watched_over_this_repository() -> None:
    watch = standalone.watch_session()

    assert watch in standalone._watches
    assert watch.repo == os.path.realpath(Path(__file__).parent.parent)
    assert not watch.beside(os.path.realpath(__file__))
    assert not watch.beside(os.path.realpath(sys.executable))  # the venv, even linked from elsewhere
    # A path (never opened) in a sibling folder of the repository counts as beside it.
    assert watch.beside(os.path.join(watch.parent, "a-sibling-folder", "notes.md"))


def test_the_audit_hook_records_a_file_read_beside_a_repository(tmp_path: Path) -> None:
    # A repository and a shared folder side by side, as on a developer's machine and in CI.
    repo, shared = tmp_path / "bansou", tmp_path / "beside" / "source"
    repo.mkdir()
    shared.mkdir(parents=True)
    (shared / "leaflet.md").write_text("伴走支援", encoding="utf-8")
    (repo / "leaflet.toml").write_text("[framework]", encoding="utf-8")

    with watching(repo) as watch:
        (repo / "leaflet.toml").read_text(encoding="utf-8")  # inside: fine
        (tmp_path / "made.txt").write_text("x", encoding="utf-8")  # made by the process itself: fine
        (tmp_path / "made.txt").read_text(encoding="utf-8")
        with tempfile.NamedTemporaryFile("w+", dir=tmp_path) as scratch:  # unnamed on Linux: fine
            scratch.write("x")
        (shared / "leaflet.md").read_text(encoding="utf-8")  # beside: recorded
        names = [p.name for p in shared.iterdir()]  # listing a folder beside: recorded

    assert names == ["leaflet.md"]
    assert set(watch.seen) == {os.path.realpath(shared / "leaflet.md"), os.path.realpath(shared)}
    assert watch.seen[os.path.realpath(shared / "leaflet.md")] == "start-up or collection"
    assert "../beside/source/leaflet.md" in watch.report()


def test_after_the_block_the_extra_watch_records_nothing(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "a.md").write_text("a", encoding="utf-8")
    with watching(tmp_path / "bansou") as watch:
        pass
    (tmp_path / "shared" / "a.md").read_text(encoding="utf-8")

    assert watch not in standalone._watches
    assert watch.seen == {}


def test_the_interpreter_and_tool_folders_beside_the_repository_are_exempt() -> None:
    watch = Watch("/w/bansou", exempt=["/w/main/.venv", "/home/me/.cache"])

    assert watch.beside("/w/shared/source/leaflet-elements.ja.md")
    assert watch.beside("/w/main/bansou/frameworks/data/leaflet-2025.toml")  # another checkout
    assert watch.beside("/w")  # listing what lies beside
    assert not watch.beside("/w/bansou/bansou/frameworks/data/source/leaflet-elements.ja.md")
    assert not watch.beside("/w/main/.venv/lib/python3.11/site-packages/django/__init__.py")
    assert watch.beside("/w/bansou-old/a.md")  # a sibling whose name begins as the repository's
    assert not watch.beside("/usr/lib/python3.11/os.py")  # outside the parent altogether


def test_a_folder_holding_the_repositorys_parent_exempts_nothing() -> None:
    # CI in /tmp/ci/bansou with /tmp/ci/shared beside it: the temporary folder must not hide it.
    watch = Watch("/tmp/ci/bansou", exempt=["/tmp", "/tmp/ci", "/", "/tmp/ci/bansou"])

    assert watch.exempt == ["/tmp/ci/bansou"]
    assert watch.beside("/tmp/ci/shared/source/leaflet-elements.ja.md")


def test_at_the_top_of_the_disk_the_system_folders_are_exempt() -> None:
    watch = Watch("/app", exempt=[*standalone.SYSTEM, "/tmp"])

    assert watch.beside("/shared/source/leaflet-elements.ja.md")
    assert not watch.beside("/etc/mime.types")
    assert not watch.beside("/dev/null")
    assert not watch.beside("/tmp/pytest-of-me/pytest-1/a.xlsx")


def test_in_the_temporary_folder_what_the_session_made_is_exempt(tmp_path: Path) -> None:
    # A clone at /tmp/bansou: its parent is the temporary folder, where the tests write too.
    watch = Watch(tmp_path / "bansou", exempt=[tmp_path])
    made, upload = tmp_path / "tmpabc", tmp_path / "upload-1.xlsx"
    watch.audit("os.mkdir", (str(made), 0o700, -1))
    watch.audit("open", (str(upload), None, os.O_RDWR | os.O_CREAT | os.O_EXCL))

    watch.audit("open", (str(made / "static" / "base.css"), "r", 0))
    watch.audit("open", (str(upload), "rb", 0))
    watch.audit("open", (str(tmp_path / "bansou" / "README.md"), "r", 0))
    watch.audit("open", (3, "r", 0))  # a file descriptor
    watch.audit("open", (str(tmp_path / "shared" / "leaflet.md"), "r", 0))

    assert watch.exempt == []
    assert list(watch.seen) == [os.path.realpath(tmp_path / "shared" / "leaflet.md")]


def test_a_folder_that_was_there_before_is_not_made_by_asking_for_it_again(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "notes.md").write_text("x", encoding="utf-8")
    watch = Watch(tmp_path / "bansou")

    watch.audit("os.mkdir", (str(tmp_path / "shared"), 0o777, -1))  # mkdir(exist_ok=True)
    watch.audit("os.mkdir", (str(tmp_path), 0o777, -1))
    watch.audit("open", (str(tmp_path / "shared" / "notes.md"), "a", os.O_WRONLY | os.O_APPEND))
    watch.audit("open", (str(tmp_path / "shared" / "notes.md"), "r", 0))

    assert watch.made == set()
    assert list(watch.seen) == [os.path.realpath(tmp_path / "shared" / "notes.md")]


def test_an_unnamed_temporary_file_in_the_parent_makes_nothing_of_it(tmp_path: Path) -> None:
    watch = Watch(tmp_path / "bansou")

    watch.audit("open", (str(tmp_path), "w+", os.O_RDWR | os.O_CREAT | os.O_EXCL))  # O_TMPFILE
    watch.audit("open", (str(tmp_path / "shared" / "a.md"), "r", 0))

    assert watch.made == set()
    assert list(watch.seen) == [os.path.realpath(tmp_path / "shared" / "a.md")]


def test_a_file_emptied_and_written_by_the_session_is_its_own(tmp_path: Path) -> None:
    (tmp_path / "report.csv").write_text("old", encoding="utf-8")
    watch = Watch(tmp_path / "bansou")

    watch.audit("open", (str(tmp_path / "report.csv"), "w", os.O_WRONLY | os.O_CREAT | os.O_TRUNC))
    watch.audit("open", (str(tmp_path / "report.csv"), "r", 0))

    assert watch.seen == {}
