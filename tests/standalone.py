"""The suite stands alone: it reads nothing that lies beside the repository.

A newcomer clones the repository on its own, and the suite must pass there. CI, though, runs in a
clone with a copy of the project's shared folder beside it, so a test that read from that sibling
folder would pass in CI and fail only for the newcomer. This plugin makes such a dependency fail
everywhere: an audit hook (:func:`sys.addaudithook`) records every file the test process opens and
every folder it lists inside the repository's parent folder but outside the repository, and the
session fails at its end if there was one, naming the path and the test that touched it.

The hook is installed when the test settings are imported (pytest-django imports them before
Django is set up, so app loading is watched too), or else when ``tests/conftest.py`` is loaded;
``tests/conftest.py`` names the test running and fails the session.

Not counted, however the folders lie: the interpreter and its virtual environment (a worktree's
``.venv`` may be a link into another checkout), the user's site-packages and tool caches, the
operating system's folders and the temporary folder when the repository sits at the top of the
disk, pytest's temporary folder, and whatever the session created itself. A folder that contains
the repository's parent never exempts anything (a clone in ``/tmp/ci/bansou`` with ``/tmp/ci/shared``
beside it is still watched). Not seen: files opened by C libraries and by subprocesses.
"""

from __future__ import annotations

import os
import site
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

EVENTS = frozenset({"open", "os.mkdir", "os.listdir", "os.scandir"})
WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
# Where the operating system keeps its own files: exempt only when the repository's parent is
# above them (a repository at the top of the disk, as in some containers).
SYSTEM = ("/bin", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/opt", "/proc", "/run", "/sbin", "/sys")
SYSTEM += ("/usr", "/var", "/nix", "/snap", "/private", "/System", "/Library")


def within(path: str, folder: str) -> bool:
    """Is ``path`` the folder itself or anything below it (both absolute and resolved)?"""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def resolved(path: object) -> str | None:
    """The absolute path with links resolved, or None for what is not a path (a file descriptor)."""
    if not isinstance(path, str | bytes | os.PathLike):
        return None
    try:
        return os.path.realpath(os.fsdecode(os.fspath(path)))
    except (TypeError, ValueError, OSError):
        return None


class Watch:
    """What one process opens beside one repository, as the audit hook reports it."""

    def __init__(self, repo: Path | str, exempt: Iterable[Path | str] = ()) -> None:
        self.repo = os.path.realpath(repo)
        self.parent = os.path.dirname(self.repo)
        self.exempt: list[str] = []
        self.made: set[str] = set()  # files and folders this process created
        self.seen: dict[str, str] = {}  # path -> the test (or phase) that first touched it
        self.where = "start-up or collection"
        self._paused = threading.local()
        for folder in exempt:
            self.exempt_folder(folder)

    def exempt_folder(self, folder: Path | str) -> None:
        """Exempts ``folder`` unless it contains the repository's parent (then it would hide all)."""
        real = os.path.realpath(folder)
        if within(real, self.parent) and real != self.parent:
            self.exempt.append(real)

    def beside(self, path: str) -> bool:
        """Is this resolved path inside the repository's parent folder but outside the repository,
        and neither exempt nor made by this process?"""
        if not within(path, self.parent) or within(path, self.repo):
            return False
        if any(within(path, folder) for folder in self.exempt):
            return False
        return not self._made(path)

    def _made(self, path: str) -> bool:
        while within(path, self.parent):
            if path in self.made:
                return True
            up = os.path.dirname(path)
            if up == path:
                break
            path = up
        return False

    def audit(self, event: str, args: tuple[object, ...]) -> None:
        if event not in EVENTS or getattr(self._paused, "on", False):
            return
        if event in ("os.listdir", "os.scandir") and args[0] is None:
            args = (".",)
        path = resolved(args[0])
        if path is None or not within(path, self.parent) or within(path, self.repo):
            return
        # The hook runs before the call: a folder or file that exists already is not made here
        # (``mkdir(exist_ok=True)`` on it fails; appending keeps what was there), unless an ``open``
        # empties it. Opening a folder to write makes an unnamed file in it (``O_TMPFILE``, as
        # ``tempfile`` does): nothing named is made or read.
        if event == "os.mkdir":
            if not os.path.lexists(path):
                self.made.add(path)
            return
        if event == "open" and _writes(args):
            if os.path.isdir(path):
                return
            if _empties(args) or not os.path.lexists(path):
                self.made.add(path)
                return
        if self.beside(path):
            self.seen.setdefault(path, self.where)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Stops recording in this thread (for pytest's own temporary-folder housekeeping)."""
        self._paused.on = True
        try:
            yield
        finally:
            self._paused.on = False

    def report(self) -> str:
        lines = [
            "The suite depends on files outside the repository; a clone on its own would fail. "
            "Keep what the tests read inside the repository (see tests/standalone.py):"
        ]
        for path, where in sorted(self.seen.items()):
            shown = os.path.relpath(path, self.repo)
            lines.append(f"  {shown}  (first by {where})")
        return "\n".join(lines)


def _writes(args: tuple[object, ...]) -> bool:
    mode, flags = (args[1], args[2]) if len(args) >= 3 else (None, 0)
    if isinstance(mode, str) and any(c in mode for c in "wxa+"):
        return True
    return isinstance(flags, int) and bool(flags & WRITING)


def _empties(args: tuple[object, ...]) -> bool:
    """Does this ``open`` empty the file (what is read afterwards is what the process wrote)?"""
    mode, flags = (args[1], args[2]) if len(args) >= 3 else (None, 0)
    if isinstance(mode, str) and "w" in mode:
        return True
    return isinstance(flags, int) and bool(flags & os.O_TRUNC)


_watches: list[Watch] = []
_installed = False


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event in EVENTS:
        for watch in _watches:
            watch.audit(event, args)


def _install() -> None:
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True


@contextmanager
def watching(repo: Path | str) -> Iterator[Watch]:
    """A further watch over ``repo`` through the installed audit hook, for as long as the block runs."""
    _install()
    watch = Watch(repo)
    _watches.append(watch)
    try:
        yield watch
    finally:
        _watches.remove(watch)


def _exempt_here() -> list[str]:
    folders = {sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix, site.getuserbase()}
    folders |= {str(Path.home() / ".cache"), tempfile.gettempdir(), *SYSTEM}
    return sorted(folders)


SESSION: Watch | None = None


def watch_session() -> Watch:
    """The watch over this repository for the whole test process; installed once."""
    global SESSION
    if SESSION is None:
        SESSION = Watch(REPO, _exempt_here())
        _install()
        _watches.append(SESSION)
    return SESSION
