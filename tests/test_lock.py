"""The run lock: one holder at a time, named when refused, taken over when its holder died."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from thinktank.lock import LOCK_FILE, LockedError, hold

HOLDER = """
import sys, time
from pathlib import Path
from thinktank.lock import hold
with hold(Path(sys.argv[1]), "thinktank translate"):
    print("held", flush=True)
    time.sleep(60)
"""


def _start_holder(folder: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    proc.stdout.close()
    assert line == "held"
    return proc


def test_a_second_holder_is_refused_with_the_first_ones_pid(tmp_path: Path) -> None:
    proc = _start_holder(tmp_path)
    try:
        with pytest.raises(LockedError, match=rf"thinktank translate \(pid {proc.pid} "):
            with hold(tmp_path, "thinktank import"):
                pass
    finally:
        proc.kill()
        proc.wait()


def test_a_lock_left_by_a_killed_process_is_taken_over_with_a_message(tmp_path: Path) -> None:
    proc = _start_holder(tmp_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (tmp_path / LOCK_FILE).exists()
    notices: list[str] = []
    with hold(tmp_path, "thinktank translate", notice=notices.append):
        assert (tmp_path / LOCK_FILE).read_text().startswith(f"{os.getpid()}\n")
    assert len(notices) == 1 and f"pid {proc.pid}" in notices[0] and "no longer running" in notices[0]
    assert not (tmp_path / LOCK_FILE).exists()


def test_waiting_gets_the_lock_once_the_holder_is_done(tmp_path: Path) -> None:
    proc = _start_holder(tmp_path)
    started = time.monotonic()
    killer = subprocess.Popen(["sh", "-c", f"sleep 0.3; kill {proc.pid}"])
    with hold(tmp_path, "review save", wait=10):
        assert time.monotonic() - started >= 0.2
    proc.wait()
    killer.wait()
