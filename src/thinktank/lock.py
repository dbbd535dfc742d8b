"""One writer at a time: an advisory lock file that names its holder.

``translate`` holds ``translations/.thinktank.lock`` for its run, ``import``
holds ``docs/.thinktank.lock``, ``deploy`` holds ``DIR/.thinktank.lock``.
The lock is an ``flock`` on the file, so the kernel releases it when the
holder dies, even by SIGKILL; the file itself carries the holder's pid and
purpose so that a refusal can say who holds it, and so that a run finding a
dead holder's file can say it took the lock over.
"""

from __future__ import annotations

import fcntl
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import ThinktankError

LOCK_FILE = ".thinktank.lock"


class LockedError(ThinktankError):
    """Another thinktank process holds the lock; nothing was changed."""


@dataclass(frozen=True)
class Holder:
    pid: int
    host: str
    purpose: str

    def describe(self) -> str:
        return f"{self.purpose} (pid {self.pid} on {self.host})"


def _read_holder(path: Path) -> Holder | None:
    try:
        pid, host, purpose = path.read_text(encoding="utf-8").split("\n", 2)
        return Holder(int(pid), host, purpose.strip())
    except (OSError, ValueError):
        return None


@contextmanager
def hold(folder: Path, purpose: str, *, wait: float = 0.0,
         notice: Callable[[str], None] | None = None) -> Iterator[Path]:
    """Hold ``folder/.thinktank.lock`` for the ``with`` block.

    ``LockedError`` if another process holds it for longer than ``wait``
    seconds. A file left by a holder that died is taken over, and ``notice``
    is told so.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_FILE
    deadline = time.monotonic() + wait
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() < deadline:
                time.sleep(0.05)
                continue
            holder = _read_holder(path)
            for _ in range(10):  # the holder writes its name just after it takes the lock
                if holder is not None:
                    break
                time.sleep(0.01)
                holder = _read_holder(path)
            who = holder.describe() if holder else "another thinktank process"
            raise LockedError(path, f"in use by {who}; try again when it has finished") from None
        # The file may have been removed (and re-created) by the holder we waited for.
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        stale = _read_holder(path)
        if stale is not None and notice is not None:
            notice(f"{path}: took over the lock left by {stale.describe()}, which is no longer running")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n{socket.gethostname()}\n{purpose}\n".encode(), 0)
        yield path
    finally:
        path.unlink(missing_ok=True)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
