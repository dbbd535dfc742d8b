"""Replacing a file only over what was read: a save that lands in between is never destroyed."""

from __future__ import annotations

from pathlib import Path

import pytest

from thinktank import fsutil


def test_a_save_landing_between_read_and_swap_is_put_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.po"
    path.write_bytes(b"as read")
    real = fsutil.exchange
    calls = []

    def translator_saves_first(first: Path, second: Path) -> bool:
        if not calls:  # just before our swap, Poedit saves by rename
            (tmp_path / "poedit.tmp").write_bytes(b"translator's save")
            (tmp_path / "poedit.tmp").replace(path)
        calls.append(1)
        return real(first, second)

    if fsutil._RENAMEAT2 is None:
        pytest.skip("no renameat2 on this system: the check is a read just before the rename")
    monkeypatch.setattr(fsutil, "exchange", translator_saves_first)
    assert fsutil.replace_if_unchanged(path, b"ours", b"as read") is False
    assert path.read_bytes() == b"translator's save"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.po"]


def test_two_saves_in_the_window_keep_the_newer_beside_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.po"
    path.write_bytes(b"as read")
    real = fsutil.exchange
    saves = iter([b"first save", b"second save"])

    def save_then_swap(first: Path, second: Path) -> bool:
        data = next(saves, None)
        if data is not None:
            (tmp_path / "editor.tmp").write_bytes(data)
            (tmp_path / "editor.tmp").replace(path)
        return real(first, second)

    if fsutil._RENAMEAT2 is None:
        pytest.skip("no renameat2 on this system")
    monkeypatch.setattr(fsutil, "exchange", save_then_swap)
    result = fsutil.replace_if_unchanged(path, b"ours", b"as read")
    assert isinstance(result, Path) and result.name == "p.po.conflict-1"
    assert {path.read_bytes(), result.read_bytes()} == {b"first save", b"second save"}


def test_an_unchanged_file_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "p.po"
    path.write_bytes(b"as read")
    assert fsutil.replace_if_unchanged(path, b"ours", b"as read") is True
    assert path.read_bytes() == b"ours" and sorted(p.name for p in tmp_path.iterdir()) == ["p.po"]
