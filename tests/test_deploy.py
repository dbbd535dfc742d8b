"""Deploying: atomic releases with rollback, and a gh-pages push to a bare repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .conftest import snapshot


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


def test_old_releases_are_pruned(repo_copy: Path, tmp_path: Path, run_cli) -> None:
    target = tmp_path / "www"
    for _ in range(3):
        assert _deploy(run_cli, repo_copy, target, "--keep", "2").code == 0
    assert len(list((target / "releases").iterdir())) == 2
    assert (target / "previous").resolve().exists()


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
