"""Atomic file writes: a reader never sees a half-written page.

Every file thinktank writes gets the mode an ordinary ``open(path, "w")``
would give it (0666 minus the umask, so 0644 usually): a web server whose
worker runs as another user must be able to read feeds, search indexes and
sitemaps. ``tempfile.mkstemp`` alone would leave them 0600.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TEMP_SUFFIX = ".tmp"
"""Temporary files are ``.<name>.<random>.tmp`` beside their target."""


def default_file_mode() -> int:
    """0666 minus the process umask, as for a file created by ``open``."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _temporary(path: Path, data: bytes) -> Path:
    """``data`` in a new temporary file beside ``path``, flushed to disk, with the usual mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), default_file_mode())
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and ``os.replace``.

    The temporary file lives in the target directory so the final rename stays
    on one file system and is atomic; on any failure it is removed.
    """
    tmp = _temporary(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """``atomic_write_bytes`` of ``text`` in UTF-8 with ``\\n`` line ends."""
    atomic_write_bytes(path, text.encode("utf-8"))


def replace_if_unchanged(path: Path, data: bytes, expected: bytes | None) -> bool:
    """Atomically replace ``path`` with ``data`` only if it still holds ``expected``.

    ``expected`` None means the file must not exist yet. The check runs after
    the new content is safely in its temporary file, just before the rename,
    so the window in which another writer's save could be lost is the time of
    one read; ``False`` (and nothing written) when the file changed.
    """
    tmp = _temporary(path, data)
    try:
        try:
            now: bytes | None = path.read_bytes()
        except FileNotFoundError:
            now = None
        if now != expected:
            tmp.unlink()
            return False
        os.replace(tmp, path)
        return True
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def remove_stray_temporaries(folder: Path, suffix: str) -> list[Path]:
    """Delete ``.<name><suffix>.*.tmp`` files a killed writer left in ``folder``.

    Only call this while holding the lock of every writer to ``folder``: a
    live writer's temporary file looks the same.
    """
    stray = [path for path in folder.rglob(f".*{suffix}.*{TEMP_SUFFIX}") if path.is_file()] if folder.is_dir() else []
    for path in stray:
        path.unlink(missing_ok=True)
    return stray
