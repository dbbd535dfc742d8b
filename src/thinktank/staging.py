"""A batch of files moved into ``docs/`` all or nothing, even if the process is killed.

Each file is written atomically on its own (``fsutil``), but a batch of three
hundred pages is three hundred renames: a kill between two of them used to
leave half a batch. So a batch is first written to a staging folder inside the
tree (``docs/.thinktank-import/<id>/``, same file system, so the final moves
are renames), then a journal naming every target and its content hash is
written atomically *last*: that write is the batch's commit point. Only then
are the staged files moved into place.

``recover`` runs at the start of every import, under the import lock: a staged
batch with a journal is rolled forward (its remaining moves done), one without
is deleted, and stray ``.<name>.<random>.tmp`` files of interrupted atomic
writes are removed. Both are idempotent, so a kill during recovery is
recovered by the next run too.

The staging folder starts with a dot, so MkDocs (default ``exclude_docs``:
``.*``) never builds it, and staged files end in ``.staged``, not ``.md``, so
no ``*.md`` discovery (``translation.source_pages``) can mistake one for a page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import OutputError
from .fsutil import TEMP_SUFFIX, atomic_write_text, fsync_dir, sync_files, write_new

STAGING_DIR = ".thinktank-import"
JOURNAL = "journal.json"
STAGED_SUFFIX = ".staged"
JOURNAL_VERSION = 1
_STRAY_TEMP = re.compile(r"^\..+\.[A-Za-z0-9_]{8}" + re.escape(TEMP_SUFFIX) + "$")
"""``tempfile.mkstemp(prefix=".<name>.", suffix=".tmp")``: eight random characters."""


class StagingError(OutputError):
    """A staged batch cannot be finished without risking someone's file; nothing was moved."""


@dataclass(frozen=True)
class Entry:
    """One file of a batch: where its staged copy is, where it goes, what it holds."""

    staged: str
    target: str
    sha256: str
    replaces: str | None
    """Hash of the file the batch replaces (None: the target did not exist)."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_hash(path: Path) -> str | None:
    try:
        return sha256(path.read_bytes())
    except FileNotFoundError:
        return None


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass


def commit(docs_dir: Path, files: list[tuple[Path, bytes]]) -> None:
    """Put ``files`` (targets under ``docs_dir`` with their bytes) in place, all or none.

    Until the journal exists, a failure or kill leaves the targets untouched;
    once it exists, the next ``recover`` finishes whatever moves are left.
    """
    if not files:
        return
    root = docs_dir / STAGING_DIR
    batch = root / f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S%fZ}-{os.getpid()}"
    entries: list[Entry] = []
    try:
        batch.mkdir(parents=True)
        staged: list[Path] = []
        for number, (target, data) in enumerate(files):
            name = f"{number:05d}{STAGED_SUFFIX}"
            # Written in place, not through a temporary file: until the journal exists the batch
            # is only ever deleted, so a half-written staged file is never read.
            write_new(batch / name, data)
            staged.append(batch / name)
            entries.append(Entry(name, target.relative_to(docs_dir).as_posix(), sha256(data), _file_hash(target)))
        sync_files(batch, staged)  # every staged file on disk before the journal that names it
        journal = {"thinktank-import": JOURNAL_VERSION, "files": [asdict(entry) for entry in entries]}
        atomic_write_text(batch / JOURNAL, json.dumps(journal, indent=1, ensure_ascii=False) + "\n")
        fsync_dir(batch)
    except BaseException as exc:
        shutil.rmtree(batch, ignore_errors=True)
        _remove_if_empty(root)
        if isinstance(exc, OSError):
            raise OutputError(batch, f"cannot stage the batch ({exc.strerror or exc}); nothing was imported") from exc
        raise
    try:
        _roll_forward(docs_dir, batch, entries, fresh=True)
    except OSError as exc:
        raise OutputError(batch, f"cannot move the staged batch into place ({exc.strerror or exc}); "
                                 "the next import finishes it") from exc
    _remove_if_empty(root)


def _roll_forward(docs_dir: Path, batch: Path, entries: list[Entry], fresh: bool = False) -> None:
    """Move every staged file of a committed batch into place, then drop the batch.

    ``fresh``: the batch was staged by this process a moment ago, under the lock, so every staged
    file is there and holds what the journal says; only the targets are checked again (an editor
    may have saved one meanwhile). A batch left by an interrupted run is checked file by file.
    """
    touched: set[Path] = set()
    for entry in entries:
        staged = batch / entry.staged
        target = docs_dir / entry.target
        if not fresh and not staged.exists():
            continue  # moved before the interruption
        current = _file_hash(target)
        if current not in (entry.replaces, entry.sha256):
            raise StagingError(target, f"changed since an interrupted import staged a new version of it "
                                       f"({staged}); move one of the two aside and run the import again")
        if not fresh and _file_hash(staged) != entry.sha256:
            raise StagingError(staged, f"does not hold what the journal says (for {target}); "
                                       f"remove {batch} and run the import again")
        if target.parent not in touched:
            target.parent.mkdir(parents=True, exist_ok=True)
            touched.add(target.parent)
        os.replace(staged, target)
    for folder in sorted(touched):
        fsync_dir(folder)
    # The journal goes first: a batch folder without one is only deleted, never replayed.
    (batch / JOURNAL).unlink(missing_ok=True)
    shutil.rmtree(batch, ignore_errors=True)


def _read_journal(path: Path) -> list[Entry]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        if data.get("thinktank-import") != JOURNAL_VERSION:
            raise ValueError(f"unknown journal version {data.get('thinktank-import')!r}")
        entries = [Entry(str(item["staged"]), str(item["target"]), str(item["sha256"]),
                         None if item["replaces"] is None else str(item["replaces"]))
                   for item in data["files"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise StagingError(path, f"unreadable import journal ({exc}); remove {path.parent} and "
                                 "run the import again") from None
    for entry in entries:
        target = PurePosixPath(entry.target)
        if target.is_absolute() or ".." in target.parts or "/" in entry.staged or entry.staged.startswith("."):
            raise StagingError(path, f"journal names an unsafe path {entry.target!r}; remove {path.parent}")
    return entries


def recover(docs_dir: Path) -> list[str]:
    """Finish or undo interrupted batches and drop stray temporary files; returns notices.

    Call only while holding the import lock: anything staged then is left by a
    run that is no longer running.
    """
    notices: list[str] = []
    root = docs_dir / STAGING_DIR
    for batch in sorted(root.iterdir()) if root.is_dir() else []:
        journal = batch / JOURNAL
        if not batch.is_dir():
            batch.unlink()  # only batch folders belong here; anything else is a leftover
        elif journal.is_file():
            entries = _read_journal(journal)
            try:
                _roll_forward(docs_dir, batch, entries)
            except OSError as exc:
                raise StagingError(batch, f"cannot finish an interrupted import ({exc.strerror or exc}); "
                                          "fix that and run the import again") from exc
            notices.append(f"{batch}: finished an interrupted import ({len(entries)} file(s) staged and committed)")
        else:
            staged = [path for path in batch.iterdir() if path.suffix == STAGED_SUFFIX]
            shutil.rmtree(batch)
            if staged:  # no staged file left: a finished batch killed while its folder was removed
                notices.append(f"{batch}: removed an interrupted import that had not been committed "
                               f"({len(staged)} file(s) staged); nothing of it was applied")
    if root.is_dir():
        _remove_if_empty(root)
    strays = 0
    for folder, dirnames, filenames in os.walk(docs_dir):
        dirnames[:] = [name for name in dirnames if name != STAGING_DIR]
        for name in filenames:
            if _STRAY_TEMP.match(name):
                Path(folder, name).unlink(missing_ok=True)
                strays += 1
    if strays:
        notices.append(f"{docs_dir}: removed {strays} temporary file(s) left by an interrupted write")
    return notices
