"""Every file we write is readable by a web server running as another user."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from thinktank.fsutil import atomic_write_text


@pytest.mark.parametrize(("umask", "expected"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_atomic_write_gives_the_mode_open_would(tmp_path: Path, umask: int, expected: int) -> None:
    old = os.umask(umask)
    try:
        target = tmp_path / "feed.xml"
        atomic_write_text(target, "<rss/>")
        plain = tmp_path / "plain.txt"
        plain.write_text("x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == expected == stat.S_IMODE(plain.stat().st_mode)
    assert not list(tmp_path.glob(".*.tmp"))


def test_every_built_file_is_world_readable(built_site: Path) -> None:
    """What nginx's unprivileged worker needs: o+r on files, o+x on folders."""
    private = [p.relative_to(built_site).as_posix() for p in built_site.rglob("*")
               if not (p.stat().st_mode & (stat.S_IROTH | (stat.S_IXOTH if p.is_dir() else 0)))]
    assert private == []
