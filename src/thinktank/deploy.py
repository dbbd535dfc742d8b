"""Publishing the built site: atomic releases in a folder, or a gh-pages branch.

A web server serves ``DIR/current``. ``deploy_to`` builds into a hidden
staging folder ``DIR/releases/.<name>.<random>``, renames it to
``DIR/releases/<name>`` only once the build has finished (so a folder with a
release name is always a complete release), and then points the
``DIR/current`` symlink at it by renaming a freshly made link over it (so
readers never see a half site). ``DIR/previous`` names the release that was
live before, for ``rollback``.

Why each rule exists (issue 8: deploys were killed, raced and misused):

- One run at a time: every deploy and rollback holds ``DIR/.thinktank.lock``
  (``thinktank.lock.hold``) from its first look at ``DIR`` to its last write.
  The build happens under the lock too, so release names (times) grow in the
  order releases go live, and the newest deploy is the one left live.
- Leftovers of killed runs (staging folders, half-pruned releases, temporary
  links) are hidden names that only a dead run can own, since a live run
  holds the lock; each run removes them first, under the lock.
- ``previous`` is never equal to ``current``: a deploy moves ``current`` first
  and ``previous`` second; a rollback swaps the two links in one
  ``renameat2(RENAME_EXCHANGE)`` call. Between two steps, or where the
  exchange is unsupported, ``previous`` may be missing, never wrong.
- Prune renames a release to a hidden name before deleting it, so a kill
  mid-delete cannot leave a partial folder that looks like a release, and it
  never touches what ``current`` or ``previous`` name.
- What is not ours is refused, not replaced: a file or folder at
  ``DIR/current`` or ``DIR/previous``, a file at ``DIR`` or ``DIR/releases``.
- Every ``OSError`` becomes a one-line ``DeployError`` naming the path.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import os
import re
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import ThinktankError
from .fsutil import exchange as _exchange
from .fsutil import fsync_dir
from .lock import hold
from .preview import ALLOW_ENV, HOW_TO_ALLOW_ENV

CURRENT, PREVIOUS, RELEASES = "current", "previous", "releases"
KEEP = 5
WAIT = 120.0
"""Seconds a deploy or rollback waits for another one to finish before giving up."""
PURPOSE = "thinktank deploy"

_NAME_FORMAT = "%Y%m%dT%H%M%S%fZ"
_RELEASE_NAME = re.compile(r"\d{8}T\d{12}Z")
_LEFTOVER_DIR = re.compile(r"\.\d{8}T\d{12}Z\..+")
"""Staging folders (``.<name>.<random>``) and releases being pruned (``.<name>.pruned``)."""
_TEMP_LINK = re.compile(r"\.(?:current|previous)(?:\.[0-9a-f]+)?\.tmp")
"""Links made beside ``current``/``previous`` before the rename (and the old fixed ``.current.tmp``)."""

Notice = Callable[[str], None]


class DeployError(ThinktankError):
    """The site could not be built or published; what is live is unchanged."""


@dataclass(frozen=True)
class Release:
    path: Path

    @property
    def name(self) -> str:
        return self.path.name


@contextmanager
def _reported(path: Path, doing: str) -> Iterator[None]:
    """Turn any ``OSError`` into one ``DeployError`` line naming the path it concerns."""
    try:
        yield
    except OSError as exc:
        where = Path(os.fsdecode(exc.filename)) if exc.filename else path
        raise DeployError(where, f"{doing}: {exc.strerror or exc}") from None


def _die_with_parent() -> None:
    """In a child process: be killed when thinktank is, so a killed deploy leaves no writer behind."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        pass


def build(config_file: Path, output: Path, *, allow_preview: bool = False) -> None:
    """``mkdocs build --strict`` into ``output``; ``DeployError`` with MkDocs' complaint if it fails.

    The thinktank plugin refuses to build a site showing preview-engine (pseudo)
    drafts unless ``THINKTANK_ALLOW_PREVIEW=1``; for a deploy only
    ``--allow-preview`` (``allow_preview``) says so, not a variable left exported
    in the shell.
    """
    if not config_file.is_file():
        raise DeployError(config_file, "no such MkDocs configuration")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop(ALLOW_ENV, None)
    env[HOW_TO_ALLOW_ENV] = "publish them anyway with thinktank deploy --allow-preview"
    if allow_preview:
        env[ALLOW_ENV] = "1"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(config_file), "-d", str(output)],
        capture_output=True, text=True, env=env, cwd=config_file.parent,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
    if result.returncode != 0:
        problems = [line for line in result.stderr.splitlines() if "ERROR" in line or "WARNING" in line]
        reason = problems[-1].strip() if problems else result.stderr.strip()[-300:]
        reason = " ".join(reason.split())
        raise DeployError(config_file, f"site build failed, nothing deployed: {reason}")


# --- the links ---------------------------------------------------------------------------------------------------

def _temporary_link(link: Path, text: str) -> Path:
    """A link to ``text`` beside ``link``, under a unique hidden name (``.current.<hex>.tmp``)."""
    while True:
        temporary = link.with_name(f".{link.name}.{secrets.token_hex(6)}.tmp")
        try:
            os.symlink(text, temporary)
            return temporary
        except FileExistsError:
            continue
        except OSError as exc:  # its filename would be the link's text; name the link instead
            raise OSError(exc.errno, exc.strerror, str(temporary)) from None


def _switch(link: Path, text: str) -> None:
    """Point ``link`` at ``text`` atomically: a new link under a unique hidden name, renamed over it."""
    temporary = _temporary_link(link, text)
    try:
        os.replace(temporary, link)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _release_of(link: Path) -> Release | None:
    """The release folder ``link`` points at, or None if it is no link or leads nowhere."""
    if not link.is_symlink():
        return None
    resolved = Path(os.path.realpath(link))
    return Release(resolved) if resolved.is_dir() else None


def current(target: Path) -> Release | None:
    return _release_of(target / CURRENT)


def previous(target: Path) -> Release | None:
    """``DIR/previous`` if it is a release other than the live one."""
    before, live = _release_of(target / PREVIOUS), current(target)
    return before if before is not None and (live is None or before.path != live.path) else None


def _sync_tree(folder: Path) -> None:
    """Flush every file of a finished build, so a power cut after the switch cannot leave empty pages."""
    for root, _dirs, files in os.walk(folder):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(Path(root))


# --- checks and cleaning, always under the lock ----------------------------------------------------------------

def _describe(path: Path) -> str:
    mode = os.lstat(path).st_mode
    return "a folder" if stat.S_ISDIR(mode) else "a regular file" if stat.S_ISREG(mode) else "a special file"


def _check_layout(target: Path) -> None:
    """Refuse what thinktank did not make, before changing anything."""
    for folder in (target, target / RELEASES):
        if not os.path.lexists(folder):
            continue
        try:
            mode = os.stat(folder).st_mode
        except OSError as exc:
            raise DeployError(folder, f"cannot be used as a deploy folder: {exc.strerror}") from None
        if not stat.S_ISDIR(mode):
            raise DeployError(folder, "is a file, not a folder; thinktank deploys into a folder of its own")
    for name in (CURRENT, PREVIOUS):
        link = target / name
        if os.path.lexists(link) and not link.is_symlink():
            raise DeployError(link, f"is {_describe(link)}, not a release link; thinktank will not replace it "
                                    "(move it away, then deploy again)")


def _size(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def _clean_leftovers(target: Path, notice: Notice | None) -> None:
    """Remove what killed runs left: hidden staging or pruned folders, temporary links.

    Only a run holding the lock writes these names, so with the lock held
    every one found belongs to a run that is gone.
    """
    removed, freed = 0, 0
    releases = target / RELEASES
    if releases.is_dir():
        for entry in sorted(releases.iterdir()):
            if _LEFTOVER_DIR.fullmatch(entry.name) and entry.is_dir() and not entry.is_symlink():
                freed += _size(entry)
                shutil.rmtree(entry)
                removed += 1
    if target.is_dir():
        for entry in sorted(target.iterdir()):
            if not (_TEMP_LINK.fullmatch(entry.name) and entry.is_symlink()):
                continue
            if entry.name.startswith(f".{PREVIOUS}.") and _completes_previous(target, entry):
                os.replace(entry, target / PREVIOUS)
                if notice is not None:
                    notice(f"{target / PREVIOUS}: set to {os.readlink(target / PREVIOUS)}, "
                           "as the interrupted run was about to")
            else:
                entry.unlink()
                removed += 1
    link = target / PREVIOUS
    if link.is_symlink() and previous(target) is None and current(target) is not None:
        # Written by older versions (previous equal to current, or leading nowhere): it names no rollback target.
        link.unlink()
        removed += 1
    if removed and notice is not None:
        notice(f"{target}: removed {removed} leftover(s) of interrupted deploys ({freed / 1e6:.1f} MB)")


def _completes_previous(target: Path, temporary: Path) -> bool:
    """Whether a left-over ``.previous.*.tmp`` link should become ``previous``.

    Such a link is only ever made to be renamed over ``previous``. If it
    leads to the live release, its run died before ``current`` moved (a
    rollback's first step): it is dropped. If it leads to another release,
    ``current`` had moved on and the run was one rename short of done.
    """
    release, live = _release_of(temporary), current(target)
    return release is not None and live is not None and release.path != live.path


def _release_names(releases: Path) -> list[str]:
    if not releases.is_dir():
        return []
    return sorted(entry.name for entry in releases.iterdir()
                  if _RELEASE_NAME.fullmatch(entry.name) and entry.is_dir() and not entry.is_symlink())


def _next_name(releases: Path) -> str:
    """Now, as a release name, and later than every existing one even if the clock went back."""
    now = dt.datetime.now(dt.timezone.utc)
    names = _release_names(releases)
    if names:
        latest = dt.datetime.strptime(names[-1], _NAME_FORMAT).replace(tzinfo=dt.timezone.utc)
        now = max(now, latest + dt.timedelta(microseconds=1))
    return now.strftime(_NAME_FORMAT)


# --- the commands -----------------------------------------------------------------------------------------------

def deploy_to(target: Path, config_file: Path, keep: int = KEEP, *, wait: float = WAIT,
              notice: Notice | None = None, allow_preview: bool = False) -> Release:
    """Build a new release and make it live; the one it replaces becomes ``previous``.

    ``build`` is looked up at call time: it is the seam the kill tests replace
    with a slow copy, so that kills land mid-build without running MkDocs.
    """
    if keep < 1:
        raise DeployError(target, f"--keep must be at least 1 (got {keep}): the live release is always kept")
    if not config_file.is_file():
        raise DeployError(config_file, "no such MkDocs configuration")
    with _reported(target, "cannot deploy"):
        _check_layout(target)
        with hold(target, PURPOSE, wait=wait, notice=notice):
            _check_layout(target)
            _clean_leftovers(target, notice)
            releases = target / RELEASES
            releases.mkdir(exist_ok=True)
            name = _next_name(releases)
            staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=releases))
            release = releases / name
            try:
                build(config_file, staging, allow_preview=allow_preview)
                staging.chmod(0o755)  # mkdtemp made it private; the web server must read it
                _sync_tree(staging)
                staging.rename(release)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            fsync_dir(releases)
            live = current(target)
            old_text = os.readlink(target / CURRENT) if live is not None else None
            _switch(target / CURRENT, f"{RELEASES}/{name}")
            if old_text is not None:
                _switch(target / PREVIOUS, old_text)
            fsync_dir(target)
            _prune(target, keep)
    return Release(release)


def rollback(target: Path, *, wait: float = WAIT, notice: Notice | None = None) -> Release:
    """Make ``previous`` live again, and the release it replaces ``previous``: one atomic swap of the links."""
    with _reported(target, "cannot roll back"):
        _check_layout(target)
        if not target.is_dir():
            raise DeployError(target, "no previous release to roll back to")
        with hold(target, PURPOSE, wait=wait, notice=notice):
            _check_layout(target)
            _clean_leftovers(target, notice)
            before, live = previous(target), current(target)
            if before is None or live is None:
                raise DeployError(target, "no previous release to roll back to")
            link_current, link_previous = target / CURRENT, target / PREVIOUS
            if not _exchange(link_current, link_previous):
                # No atomic swap here: the link that will be previous first, then previous over current, then
                # that link over previous. A kill in between leaves previous missing, never equal to current,
                # and the next run finishes the swap (``_completes_previous``).
                becomes_previous = _temporary_link(link_previous, os.readlink(link_current))
                try:
                    os.replace(link_previous, link_current)
                except BaseException:
                    becomes_previous.unlink(missing_ok=True)
                    raise
                os.replace(becomes_previous, link_previous)
            fsync_dir(target)
    return before


def _prune(target: Path, keep: int) -> None:
    """Delete all but the ``keep`` newest releases, never the live or the previous one."""
    protected = {release.path for release in (current(target), previous(target)) if release}
    releases = target / RELEASES
    names = _release_names(releases)
    for name in names[: max(0, len(names) - keep)]:
        old = releases / name
        if Path(os.path.realpath(old)) in protected:
            continue
        doomed = releases / f".{name}.pruned"
        os.rename(old, doomed)  # hidden first: a kill mid-delete leaves a leftover, not a broken release
        shutil.rmtree(doomed)


# --- gh-pages ---------------------------------------------------------------------------------------------------

def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], capture_output=True, text=True, cwd=cwd)


def _ref(branch: str, cwd: Path) -> str | None:
    result = _git(["rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"], cwd)
    return result.stdout.strip() if result.returncode == 0 else None


def _push_reason(stderr: str) -> str:
    """The remote's own words (hook output), else git's last complaint, on one line."""
    remote = [line.removeprefix("remote:").strip() for line in stderr.splitlines() if line.startswith("remote:")]
    remote = [line for line in remote if line]
    rejected = [line.strip() for line in stderr.splitlines() if line.lstrip().startswith("! [")]
    complaints = [line.strip() for line in stderr.splitlines() if line.startswith(("fatal:", "error:"))]
    parts = remote + rejected[-1:] if remote or rejected else complaints[-1:] or [stderr.strip()[-300:]]
    return " ".join("; ".join(parts).split())


def deploy_gh_pages(remote: str, config_file: Path, branch: str = "gh-pages", *, allow_preview: bool = False) -> str:
    """Build, commit the site to ``branch`` with ghp-import (as ``mkdocs gh-deploy`` does) and push.

    ghp-import commits to the local branch; the push is ours, so that a
    rejected push puts the local branch back where it was (with a
    compare-and-swap, in case someone else moved it meanwhile).
    """
    if not config_file.is_file():
        raise DeployError(config_file, "no such MkDocs configuration")
    repo = config_file.parent
    with _reported(repo, "cannot publish"):
        if _git(["rev-parse", "--git-dir"], repo).returncode != 0:
            raise DeployError(repo, "is not inside a git repository; --gh-pages commits the site to a branch of it")
        before = _ref(branch, repo)
        with tempfile.TemporaryDirectory() as tmp:
            output = Path(tmp) / "site"
            build(config_file, output, allow_preview=allow_preview)
            imported = subprocess.run(
                [sys.executable, "-m", "ghp_import", "--no-jekyll", "--branch", branch,
                 "--message", "Deploy site with thinktank", str(output)],
                capture_output=True, text=True, cwd=repo)
        if imported.returncode != 0:
            _restore(branch, before, repo)
            raise DeployError(repo, f"committing the site to {branch} failed: {_push_reason(imported.stderr)}")
        pushed = _git(["push", "--force", remote, f"refs/heads/{branch}:refs/heads/{branch}"], repo)
        if pushed.returncode != 0:
            _restore(branch, before, repo)
            raise DeployError(repo, f"push to {remote} {branch} rejected, local {branch} left as it was: "
                                    f"{_push_reason(pushed.stderr)}")
    return branch


def _restore(branch: str, before: str | None, repo: Path) -> None:
    """Put ``branch`` back to ``before`` if it still is what our commit made it."""
    after = _ref(branch, repo)
    if after is None or after == before:
        return
    ref = f"refs/heads/{branch}"
    _git(["update-ref", ref, before, after] if before else ["update-ref", "-d", ref, after], repo)
