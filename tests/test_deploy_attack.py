"""Deploy and rollback under attack: SIGKILL at every step and at random moments, and concurrent runs.

The build is ``deploy_driver.copying_build`` (a copy of a small prepared
tree), so hundreds of deploys stay fast; the real MkDocs build is covered by
``test_deploy.py``.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from thinktank import deploy, fsutil

from .conftest import ROOT
from .deploy_driver import assert_no_leftovers, assert_sound, copying_build, make_tree

DRIVER = Path(__file__).with_name("deploy_driver.py")
MUTATIONS = ("mkdir", "rename", "replace", "symlink", "unlink", "rmdir")
"""Every ``os`` call that changes a directory; a kill before the n-th of them is "a kill at step n"."""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path / "tree")


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "mkdocs.yml"
    path.write_text("site_name: test\n", encoding="utf-8")
    return path


def _fast_build(monkeypatch: pytest.MonkeyPatch, tree: Path) -> None:
    monkeypatch.setattr(deploy, "_sync_tree", lambda folder: None)  # power cuts are not what these tests make
    counter = iter(range(10**6))
    monkeypatch.setattr(deploy, "build", lambda config, output, **options: copying_build(
        tree, 0, f"build-{next(counter)}")(config, output, **options))


def _deployed(target: Path, config: Path, count: int, keep: int = 2) -> Path:
    for _ in range(count):
        deploy.deploy_to(target, config, keep)
    return target


def _killed_at(step: int, action: Callable[[], object]) -> bool:
    """Run ``action`` in a forked child that SIGKILLs itself just before its ``step``-th directory change.

    True if the child was killed, False if it finished first (``step`` is past its last change).
    """
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns to pytest
        try:
            count = 0

            def before(function: Callable[..., object]) -> Callable[..., object]:
                def call(*args: object, **kwargs: object) -> object:
                    nonlocal count
                    count += 1
                    if count == step:
                        os.kill(os.getpid(), signal.SIGKILL)
                    return function(*args, **kwargs)
                return call

            for name in MUTATIONS:
                setattr(os, name, before(getattr(os, name)))
            deploy._exchange = before(deploy._exchange)  # type: ignore[assignment]
            action()
        except BaseException:
            os._exit(3)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return True
    assert os.WEXITSTATUS(status) == 0, f"the run failed at step {step} without being killed"
    return False


def _kill_at_every_step(start: Path, work: Path, tree: Path, action: Callable[[Path], object],
                        expected: Callable[[Path, Path | None], None]) -> int:
    """Kill ``action`` at step 1, 2, ... from copies of ``start`` until it completes; check each aftermath."""
    step = 0
    while True:
        step += 1
        target = work / f"step-{step}"
        shutil.copytree(start, target, symlinks=True)
        if not _killed_at(step, lambda target=target: action(target)):  # type: ignore[misc]
            return step - 1
        live, before = assert_sound(target, tree)
        expected(live, before)
        action(target)  # the next command, not killed: repairs and completes
        assert_sound(target, tree)
        assert_no_leftovers(target)
        assert step < 500, "the run never completed"


def test_a_deploy_killed_at_any_step_leaves_a_complete_live_release(
        tmp_path: Path, tree: Path, config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fast_build(monkeypatch, tree)
    start = _deployed(tmp_path / "start", config, 3)  # two releases kept, a third to prune next time
    old_live, old_previous = assert_sound(start, tree)
    names = {p.name for p in (start / "releases").iterdir()}

    def expected(live: Path, before: Path | None) -> None:
        # Either the old state, or the new release live with the old live one (or the old previous) before it.
        if live.name in names:
            assert live.name == old_live.name
        else:
            assert before is None or before.name in {old_live.name, old_previous.name if old_previous else ""}

    steps = _kill_at_every_step(start, tmp_path / "runs", tree, lambda target: deploy.deploy_to(target, config, 2),
                                expected)
    assert steps >= 10, f"only {steps} directory changes were interrupted"


@pytest.mark.parametrize("atomic_swap", [True, False], ids=["renameat2-exchange", "two-renames"])
def test_a_rollback_killed_at_any_step_loses_neither_release(
        tmp_path: Path, tree: Path, config: Path, monkeypatch: pytest.MonkeyPatch, atomic_swap: bool) -> None:
    _fast_build(monkeypatch, tree)
    if not atomic_swap:
        monkeypatch.setattr(fsutil, "_RENAMEAT2", None)
    start = _deployed(tmp_path / "start", config, 2)
    live, before = assert_sound(start, tree)
    assert before is not None
    both = {live.name, before.name}

    def expected(now_live: Path, now_before: Path | None) -> None:
        assert now_live.name in both
        if atomic_swap:
            assert now_before is not None and {now_live.name, now_before.name} == both
        else:
            assert now_before is None or {now_live.name, now_before.name} == both

    steps = _kill_at_every_step(start, tmp_path / "runs", tree, deploy.rollback, expected)
    assert steps >= 1


def _driver(tree: Path, token: str, *args: str | Path, delay: float = 0.0) -> list[str]:
    return [sys.executable, str(DRIVER), str(tree), str(delay), token, *map(str, args)]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}


def _random_kills(kills: int, tmp_path: Path, tree: Path, config: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """SIGKILL real ``thinktank deploy`` processes at random moments; after each kill and each next run, check.

    Returns how many kills left something to clean up (they landed mid-run).
    """
    _fast_build(monkeypatch, tree)
    target = _deployed(tmp_path / "www", config, 2)
    rng = random.Random(8)
    mid_run = 0
    for number in range(kills):
        command = ["--rollback"] if rng.random() < 0.3 else ["-f", config, "--keep", "2"]
        proc = subprocess.Popen(_driver(tree, f"build-killed-{number}", "deploy", "--to", target, *command,
                                        delay=0.04), env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if rng.random() < 0.8:  # mostly once the run holds the lock, whatever the machine's load
            deadline = time.monotonic() + 10
            while not (target / ".thinktank.lock").exists() and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.3))
        proc.kill()
        _, err = proc.communicate()
        assert b"Traceback" not in err, err.decode()
        assert_sound(target, tree)
        mid_run += any(p.name.startswith(".") for p in [*target.iterdir(), *(target / "releases").iterdir()])
        if rng.random() < 0.3:
            deploy.rollback(target)
        else:
            deploy.deploy_to(target, config, 2)
        assert_sound(target, tree)
        assert_no_leftovers(target)
    return mid_run


def test_a_few_random_kills(tmp_path: Path, tree: Path, config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _random_kills(3, tmp_path, tree, config, monkeypatch)


@pytest.mark.slow
def test_thirty_random_kills(tmp_path: Path, tree: Path, config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mid_run = _random_kills(30, tmp_path, tree, config, monkeypatch)
    assert mid_run >= 10, f"only {mid_run} of 30 kills landed while a run was under way"


def _check_outcome(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err
    lines = err.splitlines()
    if proc.returncode == 0:
        assert all(line.startswith("warning: ") for line in lines), err
    else:
        assert proc.returncode == 1, err
        assert [line for line in lines if not line.startswith("warning: ")] == [lines[-1]], err
        assert lines[-1].startswith("error: "), err
    return proc.returncode, out, err


def test_twelve_concurrent_rollbacks(tmp_path: Path, tree: Path, config: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Half wait for the lock, half give up at once; the survivors' swaps add up exactly."""
    _fast_build(monkeypatch, tree)
    target = _deployed(tmp_path / "www", config, 2)
    live, before = assert_sound(target, tree)
    procs = [subprocess.Popen(_driver(tree, "unused", "deploy", "--to", target, "--rollback",
                                      *(["--wait", "0"] if number % 2 else [])),
                              env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for number in range(12)]
    outcomes = [_check_outcome(proc) for proc in procs]
    swaps = sum(1 for code, _, _ in outcomes if code == 0)
    assert swaps >= 6, "a rollback that may wait gave up"
    refused = [err for code, _, err in outcomes if code == 1]
    assert all(".thinktank.lock: in use by " in err for err in refused), refused
    now_live, now_before = assert_sound(target, tree)
    assert (now_live, now_before) == ((live, before) if swaps % 2 == 0 else (before, live))
    assert_no_leftovers(target)


def test_concurrent_deploys_leave_the_newest_live(tmp_path: Path, tree: Path, config: Path) -> None:
    """Started one after the other, the first with the slowest build: the last to go live must be the newest."""
    target = tmp_path / "www"
    procs = []
    for number in range(4):
        procs.append(subprocess.Popen(_driver(tree, f"build-{number}", "deploy", "--to", target, "-f", config,
                                              delay=0.06 * (3 - number)),
                                      env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        time.sleep(0.05)
    outcomes = [(number, *_check_outcome(proc)) for number, proc in enumerate(procs)]
    reported = {out.split(" -> ")[1].strip(): number for number, code, out, _ in outcomes if code == 0}
    assert len(reported) == 4, "a deploy with the default wait gave up or two shared a release name"
    newest = max(reported)
    live, before = assert_sound(target, tree)
    assert live.name == newest
    assert (live / "build-id.txt").read_text(encoding="utf-8") == f"build-{reported[newest]}"
    assert before is not None and before.name == sorted(reported)[-2]
    assert_no_leftovers(target)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="utf-8")
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _running(pid: int) -> bool:
    """Alive and not a zombie (whoever adopted it may not reap it soon)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_killed_deploy_leaves_no_build_writing(repo_copy: Path, tmp_path: Path) -> None:
    """A real MkDocs build: killing thinktank kills its build too, and the next run cleans the staging folder."""
    target = tmp_path / "www"
    command = [sys.executable, "-m", "thinktank.cli", "deploy", "--to", str(target), "-f", str(repo_copy / "mkdocs.yml")]
    proc = subprocess.Popen(command, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not (children := _children(proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert children, "the build never started"
    time.sleep(0.3)
    proc.kill()
    proc.wait()
    grace = time.monotonic() + 1.0  # the build itself takes longer than this
    while any(map(_running, children)) and time.monotonic() < grace:
        time.sleep(0.02)
    assert not any(map(_running, children)), "the build outlived thinktank"
    done = subprocess.run(command, env=_env(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "removed 1 leftover(s) of interrupted deploys" in done.stderr
    assert_no_leftovers(target)
