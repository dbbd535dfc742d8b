"""The deploy tests' build seam, their checks, and a ``thinktank`` runner that uses the seam in a subprocess.

A real MkDocs build per deploy would make kill loops slow; instead
``deploy.build`` is replaced by a copy of a prepared site tree, file by
file with an optional pause, so a kill lands mid-copy as it would mid-build.
Each build writes ``MARKER`` with a token naming it, so a test can tell
which build is live.

As a script: ``python deploy_driver.py TREE DELAY TOKEN ARGS...`` runs
``thinktank ARGS...`` with that build.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

MARKER = "build-id.txt"


def make_tree(folder: Path, files: int = 6) -> Path:
    """A small site: pages in a few folders, each with distinct bytes, to compare releases against."""
    for number in range(files):
        lang = ("", "tr/", "ru/")[number % 3]
        page = folder / f"{lang}page-{number}" / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<h1>page {number}</h1>\n" + "text " * (number * 7), encoding="utf-8")
    return folder


def copying_build(tree: Path, delay: float, token: str) -> Callable[..., None]:
    """A stand-in for ``deploy.build``: copy ``tree`` into the output, then write the marker."""

    def build(config_file: Path, output: Path, *, allow_preview: bool = False) -> None:
        output.mkdir(parents=True, exist_ok=True)
        for source in sorted(tree.rglob("*")):
            destination = output / source.relative_to(tree)
            if source.is_dir():
                destination.mkdir(exist_ok=True)
            else:
                destination.write_bytes(source.read_bytes())
                if delay:
                    time.sleep(delay)
        (output / MARKER).write_text(token, encoding="utf-8")

    return build


def disk_state(folder: Path) -> dict[str, str | bytes]:
    """Every entry under ``folder``: file bytes, link text, or "dir", to prove nothing changed."""
    if not os.path.lexists(folder):
        return {}
    if folder.is_symlink() or not folder.is_dir():
        return {".": os.readlink(folder) if folder.is_symlink() else folder.read_bytes()}
    state: dict[str, str | bytes] = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            key = path.relative_to(folder).as_posix()
            state[key] = ("-> " + os.readlink(path) if path.is_symlink() else "dir" if path.is_dir()
                          else path.read_bytes())
    return state


def release_files(release: Path) -> dict[str, bytes]:
    return {p.relative_to(release).as_posix(): p.read_bytes() for p in sorted(release.rglob("*")) if p.is_file()}


def assert_complete(link: Path, tree: Path) -> Path:
    """``link`` leads to a release under ``releases/`` holding exactly the tree's files and a marker."""
    assert link.is_symlink(), f"{link} is not a link"
    release = Path(os.path.realpath(link))
    assert release.parent == Path(os.path.realpath(link.parent / "releases")), release
    assert not release.name.startswith("."), f"{link} leads to a staging folder {release.name}"
    files = release_files(release)
    assert files.pop(MARKER, b"").startswith(b"build-"), f"{release} has no build marker"
    assert files == release_files(tree), f"{release} is not a complete release"
    return release


def assert_sound(target: Path, tree: Path) -> tuple[Path, Path | None]:
    """The live site is one complete release; ``previous``, if any, is another complete one."""
    live = assert_complete(target / "current", tree)
    before = None
    if os.path.lexists(target / "previous"):
        before = assert_complete(target / "previous", tree)
        assert before != live, "previous is the live release"
    return live, before


def assert_no_leftovers(target: Path) -> None:
    """No staging folders, temporary links or lock file left behind."""
    hidden = [p.name for p in (target / "releases").iterdir() if p.name.startswith(".")]
    assert not hidden, f"leftovers in releases/: {hidden}"
    assert {p.name for p in target.iterdir()} <= {"current", "previous", "releases"}, sorted(os.listdir(target))


def main(argv: list[str]) -> int:
    tree, delay, token, *args = argv
    from thinktank import deploy
    from thinktank.cli import main as thinktank

    deploy.build = copying_build(Path(tree), float(delay), token)  # type: ignore[assignment]
    return thinktank(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
