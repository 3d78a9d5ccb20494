"""Backing the database up to one file and restoring it, on SQLite and on PostgreSQL.

SQLite: the sqlite3 online backup API, page by page from the application's own connection, so the
copy is consistent while the application writes (WAL). The copy is made under a temporary name
beside the file, switched out of WAL (one self-contained file) and renamed into place; restoring
checks the file (``PRAGMA quick_check``, a migration table) and copies it back the same way.

PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot) and ``pg_restore --clean
--if-exists --no-owner --single-transaction`` (all or nothing), found on the ``PATH`` or under
``/usr/lib/postgresql/<version>/bin`` (``BANSOU_PG_BIN`` names another folder). The connection comes
from the application's database settings; the password passes in the environment, never on the
command line.

A backup holds everyone's personal data: its file is made readable by its owner only (0600).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess  # nosec B404  # only to run pg_dump and pg_restore (see _run), never a shell
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper


class BackupError(Exception):
    """What went wrong, in Japanese, for the command to show."""


def backup(connection: BaseDatabaseWrapper, target: Path) -> None:
    temporary = target.with_name(f".{target.name}.partial")
    try:
        if connection.vendor == "sqlite":
            _sqlite_backup(connection, temporary)
        elif connection.vendor == "postgresql":
            _run(connection, "pg_dump", "--format=custom", f"--file={temporary}")
        else:
            raise BackupError(f"このデータベース（{connection.vendor}）には対応していません。")
        temporary.chmod(0o600)
        temporary.replace(target)
    finally:
        temporary.unlink(missing_ok=True)


def restore(connection: BaseDatabaseWrapper, source: Path) -> None:
    if not source.is_file():
        raise BackupError(f"{source} がありません。")
    if connection.vendor == "sqlite":
        _sqlite_restore(connection, source)
    elif connection.vendor == "postgresql":
        _run(connection, "pg_restore", "--list", str(source))  # is it a pg_dump archive?
        connection.close()
        options = ("--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error")
        _run(connection, "pg_restore", *options, f"--dbname={connection.settings_dict['NAME']}", str(source))
    else:
        raise BackupError(f"このデータベース（{connection.vendor}）には対応していません。")


def _sqlite_backup(connection: BaseDatabaseWrapper, target: Path) -> None:
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    copy.close()


def _sqlite_restore(connection: BaseDatabaseWrapper, source: Path) -> None:
    try:
        with sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True) as saved:
            (verdict,) = saved.execute("PRAGMA quick_check").fetchone()
            migrations = saved.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()[0]
            if verdict != "ok" or not migrations:
                raise BackupError(f"{source} は bansou のバックアップではないか、壊れています。")
            connection.ensure_connection()
            saved.backup(connection.connection)
        saved.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} を読めません（{error}）。") from None


def pg_tool(name: str) -> str:
    """The PostgreSQL client program ``name``: in ``BANSOU_PG_BIN``, on the PATH, or the newest
    under ``/usr/lib/postgresql``."""
    if folder := os.environ.get("BANSOU_PG_BIN"):
        candidates = [Path(folder) / name]
    else:
        found = shutil.which(name)
        candidates = [Path(found)] if found else []
        versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=_major, reverse=True)
        candidates += versions
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(
        f"{name} が見つかりません（PostgreSQL のクライアントを入れるか、BANSOU_PG_BIN で指定）。"
    )


def _major(path: Path) -> int:
    version = path.parent.parent.name
    return int(version) if version.isdigit() else 0


def _run(connection: BaseDatabaseWrapper, tool: str, *args: str) -> None:
    settings = connection.settings_dict
    _, extra = connection.client.settings_to_cmd_args_env(settings, [])  # password, sslmode, service
    env = {**os.environ, **(extra or {})}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGDATABASE", "NAME")):
        if settings.get(key):
            env[variable] = str(settings[key])
    # A fixed program with a list of arguments, no shell.
    command = [pg_tool(tool), *args]
    done = subprocess.run(  # nosec B603  # pg_dump/pg_restore from pg_tool, an argument list, no shell
        command, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{tool} が失敗しました：{done.stderr.strip()}")
