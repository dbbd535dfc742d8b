"""What a site build parsed, kept for the next build by the digest of the bytes it parsed.

Reading 1,000 analyses (front matter, schema, markdown-it parse) and their 2,000 catalogs is a pure
function of those files' bytes and of the code that reads them, and most of them are the same from one
build to the next; Sphinx keeps its parsed environment between builds for the same reason. A row is
found only under the digest of exactly the bytes it was made from and of the code and parser versions
that made it (:func:`code_digest`), so an edited file, another thinktank or another markdown-it is a
miss, never an old answer.

The cache is a convenience, never a dependency: a cache that cannot be opened, read or written (a
read-only disk, another build holding it, a damaged file) is a miss, with one debug line, and the build
goes on as without it. It is an SQLite file (one transaction per build, rows read one at a time, so a
build holds no more of it in memory than it asks for) in the project's ``build/`` folder. Values are
JSON (plain lists, dicts, strings and numbers; callers turn their objects into those and back): pickle
stores a string's UTF-8 form inside the string it pickles, which every kept text (a catalog's
translations, an article's parse) then carried for the rest of the build, 14 MiB at 1,000 analyses.
Nothing here knows about MkDocs.
"""

from __future__ import annotations

import hashlib
import logging
import json
import sqlite3
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SCHEMA = 1
"""The table's layout; another one starts the file afresh."""

_CODE_MODULES = ("authors", "catalog", "frontmatter", "library", "localize", "models", "po", "schema",
                 "segments", "build_cache")
"""The modules whose code makes what is cached (their source is part of every key)."""
_PARSERS = ("markdown-it-py", "mdit-py-plugins", "PyYAML")


@lru_cache(maxsize=1)
def code_digest() -> bytes:
    """The digest of the code that makes the cached values: those modules' source, the parsers' versions and
    Python's; read once per process, when a cache is first used (nothing is read on import)."""
    digest = hashlib.blake2b(f"{SCHEMA} {sys.version}".encode(), digest_size=16)
    package = Path(__file__).parent
    for name in _CODE_MODULES:
        digest.update((package / f"{name}.py").read_bytes())
    for name in _PARSERS:
        try:
            digest.update(f"{name} {metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} absent".encode())
    return digest.digest()


class BuildCache:
    """One build's use of the cache file at ``path`` (None: no cache, every question a miss).

    Whatever state the file is in, :meth:`get` and :meth:`put` never raise; :meth:`save` writes what was put, and forgets the rows of
    files this build did not ask about (a page removed from docs/), so the file stays the size of the site.
    """

    def __init__(self, path: Path | None, timeout: float = 2.0) -> None:
        self.path = path
        self.timeout = timeout
        """Seconds to wait for another build holding the file."""
        self._db: sqlite3.Connection | None = None
        self._failed = path is None
        self._asked: set[tuple[str, str]] = set()
        self.hits = 0
        self.misses = 0

    def _open(self) -> sqlite3.Connection | None:
        if self._db is not None or self._failed:
            return self._db
        assert self.path is not None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=self.timeout)
            db.execute("CREATE TABLE IF NOT EXISTS parsed (kind TEXT, name TEXT, digest BLOB, value BLOB, "
                       "PRIMARY KEY (kind, name))")
            self._db = db
        except (OSError, sqlite3.Error) as exc:
            self._give_up(exc)
        return self._db

    def _give_up(self, exc: Exception) -> None:
        log.debug("build cache %s not used: %s", self.path, exc)
        self._failed = True
        if self._db is not None:
            self._db.close()
        self._db = None

    def get(self, kind: str, name: str, data: bytes) -> Any | None:
        """What was kept of file ``name`` (of ``kind``) when its bytes were ``data`` (as JSON reads it: lists
        for tuples); None when nothing was."""
        self._asked.add((kind, name))
        db = self._open()
        if db is None:
            self.misses += 1
            return None
        try:
            row = db.execute("SELECT value FROM parsed WHERE kind = ? AND name = ? AND digest = ?",
                             (kind, name, _digest(data))).fetchone()
            value = json.loads(row[0].decode("utf-8", "surrogatepass")) if row is not None else None
        except (sqlite3.Error, ValueError) as exc:  # a damaged row or file is a miss: the build reads the file
            log.debug("build cache %s: %s: %s", self.path, name, exc)
            row, value = None, None
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, kind: str, name: str, data: bytes, value: Any) -> None:
        """Keep ``value`` as what file ``name`` (of ``kind``) with bytes ``data`` reads as.

        ``value`` is plain JSON data. The row goes into the file's open transaction at once, committed by
        :meth:`save`: held here until then, a first build's 50 MB of rows at 1,000 analyses raised its peak
        memory by a fifth."""
        self._asked.add((kind, name))
        db = self._open()
        if db is None:
            return
        try:
            db.execute("INSERT OR REPLACE INTO parsed VALUES (?, ?, ?, ?)",
                       (kind, name, _digest(data), json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")))
        except sqlite3.Error as exc:
            self._give_up(exc)

    def save(self) -> None:
        """Commit what was put, without the rows of files this build did not ask about (a build that stops
        before this writes nothing)."""
        db = self._open()
        if db is None:
            return
        try:
            with db:
                stale = [key for key in db.execute("SELECT kind, name FROM parsed") if key not in self._asked]
                db.executemany("DELETE FROM parsed WHERE kind = ? AND name = ?", stale)
        except sqlite3.Error as exc:
            self._give_up(exc)
        finally:
            self.close()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16, key=code_digest()).digest()
