"""Deploying: atomic releases with rollback, and a gh-pages push to a bare repository."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from thinktank import deploy
from thinktank.lock import hold

from .conftest import snapshot
from .deploy_driver import assert_sound, copying_build, disk_state, make_tree


def _deploy(run_cli, repo: Path, target: Path, *extra: str):
    return run_cli("deploy", "--to", target, "-f", repo / "mkdocs.yml", *extra)


def test_deploy_switches_atomically_and_rolls_back(repo_copy: Path, tmp_path: Path, run_cli) -> None:
    target = tmp_path / "www"
    first = _deploy(run_cli, repo_copy, target)
    assert first.code == 0, first.err
    release_one = (target / "current").resolve()
    assert (target / "current" / "index.html").exists() and (target / "current" / "ru" / "feed.xml").exists()
    assert oct(release_one.stat().st_mode & 0o777) == "0o755"

    about = repo_copy / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8").replace("# About", "# About us"), encoding="utf-8")
    assert _deploy(run_cli, repo_copy, target).code == 0
    assert "About us" in (target / "current" / "about" / "index.html").read_text(encoding="utf-8")
    assert (target / "previous").resolve() == release_one

    rolled = run_cli("deploy", "--to", target, "--rollback")
    assert rolled.code == 0 and release_one.name in rolled.out
    assert (target / "current").resolve() == release_one
    assert "About us" not in (target / "current" / "about" / "index.html").read_text(encoding="utf-8")


def test_a_failed_build_never_replaces_what_is_live(repo_copy: Path, tmp_path: Path, run_cli) -> None:
    target = tmp_path / "www"
    assert _deploy(run_cli, repo_copy, target).code == 0
    live = snapshot(target / "current")
    (repo_copy / "docs" / "about.md").write_text("---\ntitle: About\n---\n\n[broken](missing-page.md)\n", encoding="utf-8")
    result = _deploy(run_cli, repo_copy, target)
    assert result.code == 1
    assert "site build failed, nothing deployed" in result.err and "missing-page.md" in result.err
    assert snapshot(target / "current") == live
    assert len(list((target / "releases").iterdir())) == 1, "the failed build left a partial release"


def test_old_releases_are_pruned(tmp_path: Path, run_cli, config: Path, fake_build: Path) -> None:
    target = tmp_path / "www"
    for _ in range(3):
        assert run_cli("deploy", "--to", target, "-f", config, "--keep", "2").code == 0
    assert len(list((target / "releases").iterdir())) == 2
    assert_sound(target, fake_build)
    second, third = sorted(p.name for p in (target / "releases").iterdir())
    assert run_cli("deploy", "--to", target, "--rollback").code == 0  # the second is live, the newest is not
    assert run_cli("deploy", "--to", target, "-f", config, "--keep", "2").code == 0
    live, before = assert_sound(target, fake_build)
    # the two newest (third, fourth), and the second: older than both, but it is previous
    assert before.name == second
    assert sorted(p.name for p in (target / "releases").iterdir()) == [second, third, live.name]


def test_rollback_without_previous_release_is_refused(tmp_path: Path, run_cli) -> None:
    result = run_cli("deploy", "--to", tmp_path / "empty", "--rollback")
    assert result.code == 1 and "no previous release to roll back to" in result.err


def _git(*args: str | Path, cwd: Path | None = None) -> str:
    return subprocess.run(["git", *map(str, args)], cwd=cwd, check=True, capture_output=True, text=True).stdout


def test_gh_pages_push_to_a_bare_repository(repo_copy: Path, tmp_path: Path, run_cli, monkeypatch) -> None:
    bare = tmp_path / "remote.git"
    _git("init", "--bare", "-q", bare)
    _git("init", "-q", cwd=repo_copy)
    _git("-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A", cwd=repo_copy)
    _git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "site", cwd=repo_copy)
    monkeypatch.setenv("GIT_AUTHOR_NAME", "thinktank test")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "test@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "thinktank test")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "test@example.org")
    result = run_cli("deploy", "--gh-pages", bare, "-f", repo_copy / "mkdocs.yml")
    assert result.code == 0, result.err
    files = _git("ls-tree", "-r", "--name-only", "gh-pages", cwd=bare).split()
    assert {"index.html", ".nojekyll", "tr/index.html", "ru/feed.xml", "sitemap.xml"} <= set(files)
    assert not [name for name in files if name.endswith((".md", ".po"))]


# --- misuse: one line, exit 1, nothing changed ------------------------------------------------------------------

@pytest.fixture
def fake_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``deploy.build`` as a copy of a small tree (the build is not what these tests are about)."""
    tree = make_tree(tmp_path / "tree")
    monkeypatch.setattr(deploy, "build", copying_build(tree, 0, "build-test"))
    return tree


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "mkdocs.yml"
    path.write_text("site_name: test\n", encoding="utf-8")
    return path


def _refused(result, *expected: str) -> str:
    assert result.code == 1, (result.out, result.err)
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    assert "Traceback" not in result.err
    for text in expected:
        assert text in lines[0], lines[0]
    return lines[0]


def _live(tmp_path: Path, run_cli, config: Path, deploys: int = 2) -> Path:
    target = tmp_path / "www"
    for _ in range(deploys):
        assert run_cli("deploy", "--to", target, "-f", config).code == 0
    return target


def _file_in_the_way(target: Path, name: str) -> None:
    (target / name).unlink()
    (target / name).write_text("hand-made\n", encoding="utf-8")


def _folder_in_the_way(target: Path, name: str) -> None:
    (target / name).unlink()
    (target / name).mkdir()
    (target / name / "index.html").write_text("hand-made\n", encoding="utf-8")


@pytest.mark.parametrize(("spoil", "args", "expected"), [
    (lambda t: _file_in_the_way(t, "current"), (), "current: is a regular file, not a release link"),
    (lambda t: _folder_in_the_way(t, "current"), (), "current: is a folder, not a release link"),
    (lambda t: _file_in_the_way(t, "previous"), (), "previous: is a regular file, not a release link"),
    (lambda t: _file_in_the_way(t, "current"), ("--rollback",), "current: is a regular file, not a release link"),
    (lambda t: _folder_in_the_way(t, "previous"), ("--rollback",), "previous: is a folder, not a release link"),
], ids=["file-at-current", "folder-at-current", "file-at-previous", "rollback-file-at-current",
        "rollback-folder-at-previous"])
def test_what_thinktank_did_not_make_is_refused_not_replaced(
        tmp_path: Path, run_cli, config: Path, fake_build: Path, spoil, args, expected) -> None:
    target = _live(tmp_path, run_cli, config)
    spoil(target)
    before = disk_state(target)
    _refused(run_cli("deploy", "--to", target, "-f", config, *args), expected, "move it away")
    assert disk_state(target) == before


def _symlink_loop(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(path.name)


@pytest.mark.parametrize(("make", "where", "expected"), [
    (lambda t: t.write_text("not a folder\n"), "", "is a file, not a folder"),
    (_symlink_loop, "", "Too many levels of symbolic links"),
    (lambda t: (t.mkdir(), (t / "releases").write_text("x\n")), "releases", "is a file, not a folder"),
    (lambda t: (t.mkdir(), _symlink_loop(t / "releases")), "releases", "Too many levels of symbolic links"),
], ids=["dir-is-a-file", "dir-is-a-symlink-loop", "releases-is-a-file", "releases-is-a-symlink-loop"])
@pytest.mark.parametrize("rollback", [False, True], ids=["deploy", "rollback"])
def test_a_deploy_folder_that_is_not_one_is_one_line(
        tmp_path: Path, run_cli, config: Path, fake_build: Path, make, where, expected, rollback) -> None:
    target = tmp_path / "www"
    make(target)
    before = disk_state(tmp_path / "www")
    line = _refused(run_cli("deploy", "--to", target, "-f", config, *(["--rollback"] if rollback else [])), expected)
    assert f"{target / where}".rstrip("/") + ":" in line
    assert disk_state(tmp_path / "www") == before


@pytest.mark.parametrize("keep", ["0", "-1"])
def test_keep_must_be_at_least_one(tmp_path: Path, run_cli, config: Path, keep: str) -> None:
    result = run_cli("deploy", "--to", tmp_path / "www", "-f", config, "--keep", keep)
    assert result.code == 2 and "error: argument --keep:" in result.err
    assert not (tmp_path / "www").exists()


def test_keep_one_still_keeps_the_previous_release(tmp_path: Path, run_cli, config: Path, fake_build: Path) -> None:
    target = _live(tmp_path, run_cli, config, deploys=4)
    assert run_cli("deploy", "--to", target, "-f", config, "--keep", "1").code == 0
    assert len(list((target / "releases").iterdir())) == 2
    assert_sound(target, fake_build)
    assert run_cli("deploy", "--to", target, "--rollback").code == 0


@pytest.mark.parametrize("args", [("--gh-pages", "origin", "--rollback"), ("--gh-pages", "origin", "--keep", "2"),
                                  ("--to", "www", "--branch", "main"), ("--to", "www", "--rollback", "--keep", "2")])
def test_options_of_the_other_mode_are_usage_errors(tmp_path: Path, run_cli, args) -> None:
    result = run_cli("deploy", *args)
    assert result.code == 2 and "does not apply here" in result.err


def test_a_missing_configuration_changes_nothing(tmp_path: Path, run_cli) -> None:
    _refused(run_cli("deploy", "--to", tmp_path / "www", "-f", tmp_path / "nope.yml"), "no such MkDocs configuration")
    assert not (tmp_path / "www").exists()


def test_rollback_of_a_missing_folder_creates_nothing(tmp_path: Path, run_cli) -> None:
    _refused(run_cli("deploy", "--to", tmp_path / "www", "--rollback"), "no previous release to roll back to")
    assert not (tmp_path / "www").exists()


def test_a_second_deploy_names_the_holder_or_waits(tmp_path: Path, run_cli, config: Path, fake_build: Path) -> None:
    target = _live(tmp_path, run_cli, config)
    before = disk_state(target)
    with hold(target, "thinktank deploy"):
        _refused(run_cli("deploy", "--to", target, "-f", config, "--wait", "0"),
                 f"{target / '.thinktank.lock'}: in use by thinktank deploy (pid {os.getpid()} ")
        _refused(run_cli("deploy", "--to", target, "--rollback", "--wait", "0.2"), "in use by thinktank deploy")
    assert disk_state(target) == before


def test_a_read_only_file_system_is_one_line(tmp_path: Path, run_cli, config: Path, fake_build: Path) -> None:
    """A real read-only mount where the system allows one (root with CAP_SYS_ADMIN), else skipped."""
    target = _live(tmp_path, run_cli, config)
    before = disk_state(target)
    mount = subprocess.run(["mount", "--bind", "-o", "ro", str(target), str(target)], capture_output=True)
    if mount.returncode != 0:
        pytest.skip(f"cannot make a read-only bind mount here: {mount.stderr.decode().strip()}")
    try:
        if os.access(target, os.W_OK) and subprocess.run(["touch", str(target / "probe")]).returncode == 0:
            pytest.skip("the bind mount is not read-only")
        for args in (("-f", config), ("--rollback",)):
            _refused(run_cli("deploy", "--to", target, *args), f"{target / '.thinktank.lock'}: cannot ",
                     "Read-only file system")
    finally:
        subprocess.run(["umount", str(target)], check=True)
    assert disk_state(target) == before


@pytest.mark.parametrize("failing", ["mkdtemp", "rename", "symlink", "replace"])
def test_an_os_error_at_any_write_is_one_line_and_the_live_site_stays(
        tmp_path: Path, run_cli, config: Path, fake_build: Path, monkeypatch: pytest.MonkeyPatch,
        failing: str) -> None:
    """Read-only or full disks, injected where each write happens (root ignores chmod)."""
    target = _live(tmp_path, run_cli, config)
    live, before = assert_sound(target, fake_build)

    def refuse(*args: object, **kwargs: object) -> None:  # as the real call fails: its paths in the error
        paths = [str(arg) for arg in args[:2]] or [str(kwargs["dir"])]
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), *paths[:1], None, *paths[1:])

    owner = deploy.tempfile if failing == "mkdtemp" else deploy.os
    monkeypatch.setattr(owner, failing, refuse)
    line = _refused(run_cli("deploy", "--to", target, "-f", config), "cannot deploy: Read-only file system")
    assert str(target) in line
    monkeypatch.undo()
    assert assert_sound(target, fake_build) == (live, before)
    assert not [p for p in (target / "releases").iterdir() if p.name.startswith(".")]


def test_an_os_error_during_rollback_is_one_line(tmp_path: Path, run_cli, config: Path, fake_build: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    target = _live(tmp_path, run_cli, config)
    state = disk_state(target)
    monkeypatch.setattr(deploy, "_exchange", lambda a, b: (_ for _ in ()).throw(
        OSError(errno.EIO, os.strerror(errno.EIO), str(a), None, str(b))))
    _refused(run_cli("deploy", "--to", target, "--rollback"), f"{target / 'current'}: cannot roll back: ",
             "Input/output error")
    assert disk_state(target) == state


def test_leftovers_of_older_versions_are_repaired(tmp_path: Path, run_cli, config: Path, fake_build: Path) -> None:
    """Old deploys could leave previous equal to current, a fixed .current.tmp link and staging folders."""
    target = _live(tmp_path, run_cli, config)
    live = (target / "current").readlink()
    (target / "previous").unlink()
    (target / "previous").symlink_to(live)
    (target / ".current.tmp").symlink_to(live)
    staging = target / "releases" / ".20240101T000000000000Z.abc123"
    (staging / "assets").mkdir(parents=True)
    (staging / "assets" / "big.js").write_bytes(b"x" * 2_000_000)
    result = run_cli("deploy", "--to", target, "--rollback")
    assert result.code == 1 and "no previous release to roll back to" in result.err
    assert "removed 3 leftover(s) of interrupted deploys (2.0 MB)" in result.err
    assert not (target / "previous").exists() and not (target / ".current.tmp").is_symlink()
    assert not staging.exists()
    assert run_cli("deploy", "--to", target, "-f", config).code == 0
    assert assert_sound(target, fake_build)[1] == target.resolve() / live


def test_names_grow_even_if_the_clock_goes_back(tmp_path: Path, run_cli, config: Path, fake_build: Path) -> None:
    target = _live(tmp_path, run_cli, config, deploys=1)
    future = target / "releases" / "29991231T235959999999Z"
    shutil.copytree((target / "current").resolve(), future)
    result = run_cli("deploy", "--to", target, "-f", config)
    assert result.code == 0 and result.out.strip().endswith("-> 30000101T000000000000Z")


# --- gh-pages: a rejected push -----------------------------------------------------------------------------------

def _git_repo_with_site(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("GIT_AUTHOR_NAME", "thinktank test"), ("GIT_AUTHOR_EMAIL", "test@example.org"),
                        ("GIT_COMMITTER_NAME", "thinktank test"), ("GIT_COMMITTER_EMAIL", "test@example.org")):
        monkeypatch.setenv(name, value)
    _git("init", "-q", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "-qm", "site", cwd=repo)


def _reject_pushes(bare: Path) -> None:
    hook = bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'gh-pages is frozen during the audit' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)


@pytest.mark.parametrize("branch_before", [False, True], ids=["first-publish", "later-publish"])
def test_a_rejected_push_is_one_line_and_leaves_the_local_branch(
        tmp_path: Path, run_cli, fake_build: Path, monkeypatch: pytest.MonkeyPatch, branch_before: bool) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "mkdocs.yml").write_text("site_name: test\n", encoding="utf-8")
    _git_repo_with_site(repo, monkeypatch)
    bare = tmp_path / "remote.git"
    _git("init", "--bare", "-q", bare)
    if branch_before:
        assert run_cli("deploy", "--gh-pages", bare, "-f", repo / "mkdocs.yml").code == 0
    local = subprocess.run(["git", "rev-parse", "--verify", "-q", "refs/heads/gh-pages"], cwd=repo,
                           capture_output=True, text=True).stdout
    remote = subprocess.run(["git", "rev-parse", "--verify", "-q", "refs/heads/gh-pages"], cwd=bare,
                            capture_output=True, text=True).stdout
    assert bool(local) == branch_before == bool(remote)
    _reject_pushes(bare)
    monkeypatch.setattr(deploy, "build", copying_build(fake_build, 0, "build-second"))
    line = _refused(run_cli("deploy", "--gh-pages", bare, "-f", repo / "mkdocs.yml"),
                    f"push to {bare} gh-pages rejected, local gh-pages left as it was: ",
                    "gh-pages is frozen during the audit", "pre-receive hook declined")
    assert line.startswith(f"error: {repo}: ")
    assert subprocess.run(["git", "rev-parse", "--verify", "-q", "refs/heads/gh-pages"], cwd=repo,
                          capture_output=True, text=True).stdout == local
    assert subprocess.run(["git", "rev-parse", "--verify", "-q", "refs/heads/gh-pages"], cwd=bare,
                          capture_output=True, text=True).stdout == remote


def test_gh_pages_outside_a_git_repository_is_one_line(tmp_path: Path, run_cli, config: Path) -> None:
    _refused(run_cli("deploy", "--gh-pages", "origin", "-f", config), "is not inside a git repository")
