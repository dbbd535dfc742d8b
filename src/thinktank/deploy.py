"""Publishing the built site: atomic releases in a folder, or a gh-pages branch.

``deploy_to`` builds into ``DIR/releases/<name>`` and only then points the
``DIR/current`` symlink at it (a rename, so readers never see a half site);
the release it replaced stays as ``DIR/previous`` for ``rollback``. A failed
build leaves ``current`` untouched. A web server serves ``DIR/current``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import ThinktankError

CURRENT, PREVIOUS, RELEASES = "current", "previous", "releases"
KEEP = 5


class DeployError(ThinktankError):
    """The site could not be built or published; what is live is unchanged."""


@dataclass(frozen=True)
class Release:
    path: Path

    @property
    def name(self) -> str:
        return self.path.name


def build(config_file: Path, output: Path) -> None:
    """``mkdocs build --strict`` into ``output``; ``DeployError`` with MkDocs' complaint if it fails."""
    if not config_file.exists():
        raise DeployError(config_file, "no such MkDocs configuration")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(config_file), "-d", str(output)],
        capture_output=True, text=True, env=env, cwd=config_file.parent)
    if result.returncode != 0:
        problems = [line for line in result.stderr.splitlines() if "ERROR" in line or "WARNING" in line]
        reason = problems[-1].strip() if problems else result.stderr.strip()[-300:]
        raise DeployError(config_file, f"site build failed, nothing deployed: {reason}")


def _switch(link: Path, target: Path) -> None:
    """Point ``link`` at ``target`` atomically (symlink beside it, then rename over)."""
    temporary = link.with_name(f".{link.name}.tmp")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(os.path.relpath(target, link.parent))
    os.replace(temporary, link)


def _release_of(link: Path) -> Release | None:
    return Release(link.resolve()) if link.is_symlink() and link.resolve().is_dir() else None


def current(target: Path) -> Release | None:
    return _release_of(target / CURRENT)


def deploy_to(target: Path, config_file: Path, keep: int = KEEP) -> Release:
    """Build a new release and make it live; the one it replaces becomes ``previous``."""
    releases = target / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    name = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=releases))
    try:
        build(config_file, staging)
        release = releases / name
        staging.chmod(0o755)  # mkdtemp made it private; the web server must read it
        staging.rename(release)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    live = current(target)
    if live is not None:
        _switch(target / PREVIOUS, live.path)
    _switch(target / CURRENT, release)
    _prune(target, keep)
    return Release(release)


def rollback(target: Path) -> Release:
    """Make ``previous`` live again (and the release it replaces ``previous``)."""
    before, live = _release_of(target / PREVIOUS), current(target)
    if before is None or live is None:
        raise DeployError(target, "no previous release to roll back to")
    _switch(target / CURRENT, before.path)
    _switch(target / PREVIOUS, live.path)
    return before


def _prune(target: Path, keep: int) -> None:
    protected = {release.path for release in (current(target), _release_of(target / PREVIOUS)) if release}
    finished = sorted(p for p in (target / RELEASES).iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in finished[: max(0, len(finished) - keep)]:
        if old.resolve() not in protected:
            shutil.rmtree(old)


def deploy_gh_pages(remote: str, config_file: Path, branch: str = "gh-pages") -> str:
    """Build, commit the site to ``branch`` with ghp-import (as ``mkdocs gh-deploy`` does) and push."""
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "site"
        build(config_file, output)
        result = subprocess.run(
            [sys.executable, "-m", "ghp_import", "--no-jekyll", "--push", "--force", "--remote", remote,
             "--branch", branch, "--message", "Deploy site with thinktank", str(output)],
            capture_output=True, text=True, cwd=config_file.parent)
    if result.returncode != 0:
        raise DeployError(config_file.parent, f"publishing to {remote} {branch} failed: {result.stderr.strip()[-300:]}")
    return branch
