"""Atomic file writes: a reader never sees a half-written page.

Every file thinktank writes gets the mode an ordinary ``open(path, "w")``
would give it (0666 minus the umask, so 0644 usually): a web server whose
worker runs as another user must be able to read feeds, search indexes and
sitemaps. ``tempfile.mkstemp`` alone would leave them 0600.
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys
import tempfile
from collections.abc import Callable
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


def fsync_dir(folder: Path) -> None:
    """Make the renames in ``folder`` durable, not only visible (a power cut keeps them)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_new(path: Path, data: bytes) -> None:
    """Create ``path`` (it must not exist) holding ``data``, with the mode ``open`` gives; not flushed to disk.

    For files in a folder no reader looks at until the writer says so (an import batch's staging folder,
    whose journal is written last): there a temporary name and a rename per file buy nothing. Make them
    durable with :func:`sync_files`, once for all of them.
    """
    with path.open("xb") as handle:
        handle.write(data)


def sync_files(folder: Path, paths: list[Path]) -> None:
    """Make ``paths`` (files in ``folder``), their contents and their names in ``folder`` durable.

    One ``syncfs`` of the file system that holds ``folder`` where Linux has it: it returns when every
    written file there is on disk, so a batch of a thousand files costs one call rather than a thousand
    ``fsync`` calls (each of which waits for its own journal commit). Elsewhere, or when the call fails,
    each file is fsynced, then the folder.
    """
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if _SYNCFS is not None and _SYNCFS(fd) == 0:
            return
        for path in paths:
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_text(path: Path, text: str) -> None:
    """``atomic_write_bytes`` of ``text`` in UTF-8 with ``\\n`` line ends."""
    atomic_write_bytes(path, text.encode("utf-8"))


def _libc_renameat2() -> Callable[..., int] | None:
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function  # type: ignore[no-any-return]


_RENAMEAT2 = _libc_renameat2() if sys.platform.startswith("linux") else None


def _libc_syncfs() -> Callable[[int], int] | None:
    try:
        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int]
    function.restype = ctypes.c_int
    return function  # type: ignore[no-any-return]


_SYNCFS = _libc_syncfs() if sys.platform.startswith("linux") else None
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def exchange(first: Path, second: Path) -> bool:
    """Swap two directory entries in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where the
    system or file system cannot."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOENT):
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def replace_if_unchanged(path: Path, data: bytes, expected: bytes | None) -> bool | Path:
    """Atomically replace ``path`` with ``data`` only if it still holds ``expected``.

    ``expected`` None means the file must not exist yet. Where the system can
    swap two files in one step, ours and the one on disk are exchanged and what
    came out is compared: if someone saved in between (an editor that saves by
    rename, as Poedit and vim do), their file is put back, or, if they saved yet
    again meanwhile, kept beside it as ``<name>.conflict-<n>`` (returned), so
    nothing anyone saved is ever destroyed. Elsewhere the check is a read just
    before the rename. ``False`` (nothing written) when the file had changed.
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
        if now is None or not exchange(tmp, path):
            os.replace(tmp, path)
            return True
        if tmp.read_bytes() == expected:  # what we displaced is what we read: nobody saved in between
            tmp.unlink()
            return True
        # Someone saved between our read and the swap: theirs goes back, and out comes ours...
        if not exchange(tmp, path):
            os.replace(tmp, path)
            return False
        if tmp.read_bytes() == data:
            tmp.unlink()
            return False
        # ...unless yet another save replaced ours meanwhile: that one is kept beside the file.
        aside = _free_name(path)
        os.replace(tmp, aside)
        return aside
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _free_name(path: Path) -> Path:
    number = 1
    while (candidate := path.with_name(f"{path.name}.conflict-{number}")).exists():
        number += 1
    return candidate


def remove_stray_temporaries(folder: Path, suffix: str) -> list[Path]:
    """Delete ``.<name><suffix>.*.tmp`` files a killed writer left in ``folder``.

    Only call this while holding the lock of every writer to ``folder``: a
    live writer's temporary file looks the same.
    """
    stray = [path for path in folder.rglob(f".*{suffix}.*{TEMP_SUFFIX}") if path.is_file()] if folder.is_dir() else []
    for path in stray:
        path.unlink(missing_ok=True)
    return stray
