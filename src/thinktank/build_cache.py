"""What a site build parsed, kept for the next build by the digest of the bytes it parsed.

Reading 1,000 analyses (front matter, schema, markdown-it parse) and their 2,000 catalogs is a pure
function of those files' bytes and of the code that reads them, and most of them are the same from one
build to the next; Sphinx keeps its parsed environment between builds for the same reason. A row is
found only under the digest of exactly the bytes it was made from and of the code and parser versions
that made it (:func:`code_digest`), so an edited file, another thinktank or another markdown-it is a
miss, never an old answer; and only when its value is the one that was written (each row carries a
check of its value), so a row damaged on disk is a miss too, never another answer or a traceback.

The cache is a convenience, never a dependency: a cache that cannot be opened, read or written (a
read-only disk, another build holding it) is a miss, with one debug line, and the build goes on as
without it, after waiting for the file once, not once per file. A file of ours that is damaged (cut
short) or of another layout (:data:`SCHEMA`) is started afresh, or every later build would be one
without cache; a file that is not ours (marked by :data:`APPLICATION_ID`) is left as it is. It is an
SQLite file in the project's ``build/`` folder (rows read one at a time, and what a build puts written
every :data:`FLUSH_BYTES`, so a build holds no more of it in memory than it asks for: a cold build must
not hold a copy of every catalog the localizer drops after its page). Values are JSON (plain lists,
dicts, strings and numbers; callers turn their objects into those and back): pickle stores a string's
UTF-8 form inside the string it pickles, which every kept text (a catalog's translations, an article's
parse) then carried for the rest of the build, 14 MiB at 1,000 analyses. Nothing here knows about MkDocs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import sys
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SCHEMA = 2
"""The table's layout (the file's ``user_version``); a file of ours with another one is started afresh."""
APPLICATION_ID = int.from_bytes(b"tkbc", "big")
"""The mark of a thinktank build cache in the SQLite header (``application_id``): only such a file (or
the first layout's, unmarked, holding nothing but its ``parsed`` table) is ever started afresh."""
FLUSH_BYTES = 4 << 20
"""What a build has put is written once it holds this many bytes of values (and at :meth:`BuildCache.save`)."""

_CODE_MODULES = ("authors", "catalog", "frontmatter", "library", "localize", "models", "po", "schema",
                 "segments", "build_cache")
"""The modules whose code makes what is cached (their source is part of every key)."""
_PARSERS = ("markdown-it-py", "mdit-py-plugins", "PyYAML")
_LAYOUT = ("CREATE TABLE IF NOT EXISTS parsed (kind TEXT, name TEXT, digest BLOB, value BLOB, "
           "checksum INTEGER, PRIMARY KEY (kind, name))")
_MAGIC = b"SQLite format 3\x00"
_DAMAGED = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
_Row = tuple[str, str, bytes, bytes, int]


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


@dataclass
class CacheShare:
    """What a fork's use of the cache leaves to the process it was forked from (:meth:`BuildCache.share`)."""

    asked: set[tuple[str, str]] = field(default_factory=set)
    hits: int = 0
    misses: int = 0


class NotACache(Exception):
    """The file at the cache's path is not a thinktank build cache: not used, and left as it is."""


class BuildCache:
    """One build's use of the cache file at ``path`` (None: no cache, every question a miss).

    :meth:`get` and :meth:`put` never raise; :meth:`save` writes what was put, and forgets the rows of
    files this build did not ask about (a page removed from docs/), so the file stays the size of the site.
    """

    def __init__(self, path: Path | None, timeout: float = 2.0) -> None:
        self.path = path
        self.timeout = timeout
        """Seconds to wait for another build holding the file (once: then the build goes on without it)."""
        self._db: sqlite3.Connection | None = None
        self._failed = path is None
        self._put: list[_Row] = []
        self._pending = 0
        """Bytes of values in :attr:`_put`."""
        self._asked: set[tuple[str, str]] = set()
        self._inherited: sqlite3.Connection | None = None
        """In a fork (:meth:`forked`), the connection of the process it came from, never used."""
        self.hits = 0
        self.misses = 0

    # --- The file --------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection | None:
        if self._db is not None or self._failed:
            return self._db
        assert self.path is not None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = self._connect(self.path)
        except (OSError, sqlite3.Error, NotACache) as exc:
            self._give_up(exc)
        return self._db

    def _connect(self, path: Path) -> sqlite3.Connection:
        """The file as a cache of this layout: made one when new, started afresh when ours but damaged or of
        another layout; :class:`NotACache` when it is another program's or not SQLite at all."""
        db = sqlite3.connect(path, timeout=self.timeout)
        try:
            state = _state(db)
        except sqlite3.DatabaseError as exc:
            db.close()
            if not _damaged(exc) or not _marked_ours(path):
                raise
            state = "damaged"
        if state == "current":
            return db
        if state == "new":
            _create(db)
            return db
        db.close()
        if state == "foreign":
            raise NotACache(f"{path}: not a thinktank build cache, left as it is")
        log.debug("build cache %s: %s, started afresh", path, state)
        _remove(path)
        db = sqlite3.connect(path, timeout=self.timeout)
        _create(db)
        return db

    def _restart(self, exc: sqlite3.Error) -> bool:
        """Start the file afresh when ``exc`` says it is damaged (it is ours: it was opened as a cache);
        False when it is not damaged, or cannot be made again (the build then goes on without it)."""
        if not _damaged(exc) or self._db is None or self.path is None:
            return False
        log.debug("build cache %s damaged (%s), started afresh", self.path, exc)
        self._db.close()
        self._db = None
        try:
            _remove(self.path)
        except OSError as error:
            self._give_up(error)
            return False
        return self._open() is not None

    def _give_up(self, exc: Exception) -> None:
        log.debug("build cache %s not used: %s", self.path, exc)
        self._failed = True
        self._put.clear()
        if self._db is not None:
            self._db.close()
        self._db = None

    # --- Rows -------------------------------------------------------------------------------------

    def get(self, kind: str, name: str, data: bytes) -> Any | None:
        """What was kept of file ``name`` (of ``kind``) when its bytes were ``data`` (as JSON reads it: lists
        for tuples); None when nothing was."""
        self._asked.add((kind, name))
        value = self._found(kind, name, data)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def _found(self, kind: str, name: str, data: bytes) -> Any | None:
        db = self._open()
        if db is None:
            return None
        try:
            digest = _digest(data)
            row = db.execute("SELECT value, checksum FROM parsed WHERE kind = ? AND name = ? AND digest = ?",
                             (kind, name, digest)).fetchone()
        except sqlite3.Error as exc:  # damaged: started afresh; locked or unreadable: given up, not waited for again
            if not self._restart(exc):
                self._give_up(exc)
            return None
        except Exception as exc:  # the code's source unreadable: no key can be made
            self._give_up(exc)
            return None
        if row is None:
            return None
        value, checksum = row
        if _checksum(digest, value) != checksum:
            log.debug("build cache %s: %s: damaged row, read again", self.path, name)
            return None
        try:
            return json.loads(value.decode("utf-8", "surrogatepass"))
        except ValueError as exc:  # a value that is not JSON is a miss: the build reads the file itself
            log.debug("build cache %s: %s: %s", self.path, name, exc)
            return None

    def put(self, kind: str, name: str, data: bytes, value: Any) -> None:
        """Keep ``value`` (plain JSON data) as what file ``name`` (of ``kind``) with bytes ``data`` reads as
        (written within :data:`FLUSH_BYTES`, or at :meth:`save`)."""
        self._asked.add((kind, name))
        if self._failed:
            return
        try:
            digest = _digest(data)
        except Exception as exc:  # the code's source unreadable: no key can be made
            self._give_up(exc)
            return
        try:  # surrogatepass: a YAML escape can put a lone surrogate in a title
            kept = json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
        except (TypeError, ValueError) as exc:  # not JSON data: not kept, read again by the next build
            log.debug("build cache %s: %s not kept: %s", self.path, name, exc)
            return
        self._put.append((kind, name, digest, kept, _checksum(digest, kept)))
        self._pending += len(kept)
        if self._pending >= FLUSH_BYTES:
            self._write(prune=False)

    def save(self) -> None:
        """Write what was put, and drop the rows of files this build did not ask about."""
        try:
            self._write(prune=True)
        finally:
            self.close()

    def _write(self, prune: bool) -> None:
        rows, self._put, self._pending = self._put, [], 0
        for _ in range(2):  # once more on a file started afresh
            db = self._open()
            if db is None:
                return
            try:
                with db:
                    db.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?, ?, ?, ?)", rows)
                    if prune:
                        stale = [key for key in db.execute("SELECT kind, name FROM parsed") if key not in self._asked]
                        db.executemany("DELETE FROM parsed WHERE kind = ? AND name = ?", stale)
                return
            except sqlite3.Error as exc:
                if not self._restart(exc):
                    self._give_up(exc)
                    return

    # --- A fork of the build (thinktank.mkdocs_plugin.passes) ----------------------------------------

    def forked(self) -> None:
        """This process is a fork of the one that opened the cache: that one's connection is left untouched (an
        SQLite connection must not be used across a fork, not even to close it; the fork ends without
        finalising it), and what it puts and asks from now on is its own."""
        self._inherited, self._db = self._db, None
        self._put, self._pending, self._asked, self.hits, self.misses = [], 0, set(), 0, 0

    def share(self) -> CacheShare:
        """In the fork, once its passes are built: what it put written (on its own connection), and what the
        process it came from must know to save the cache (:meth:`take`)."""
        self._write(prune=False)
        self.close()
        return CacheShare(set(self._asked), self.hits, self.misses)

    def take(self, share: CacheShare) -> None:
        """What a fork asked counts as asked here: :meth:`save` keeps those rows."""
        self._asked |= share.asked
        self.hits += share.hits
        self.misses += share.misses

    def close(self) -> None:
        self._put, self._pending = [], 0
        if self._db is not None:
            self._db.close()
            self._db = None


def _state(db: sqlite3.Connection) -> str:
    """``current``, ``new`` (empty), ``outdated`` (ours, another layout) or ``foreign``."""
    marked = db.execute("PRAGMA application_id").fetchone()[0]
    version = db.execute("PRAGMA user_version").fetchone()[0]
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if marked == APPLICATION_ID:
        return "current" if version == SCHEMA and tables == {"parsed"} else "outdated"
    if marked == 0 and version == 0:
        if not tables:
            return "new"
        if tables == {"parsed"}:
            return "outdated"  # the first layout's file, which was not marked
    return "foreign"


def _marked_ours(path: Path) -> bool:
    """Does the damaged file at ``path`` still carry our mark in its header?"""
    try:
        with path.open("rb") as stream:
            header = stream.read(100)
    except OSError:
        return False
    return header.startswith(_MAGIC) and len(header) >= 72 and int.from_bytes(header[68:72], "big") == APPLICATION_ID


def _create(db: sqlite3.Connection) -> None:
    """The table and the marks, in one transaction (two builds making the file at once make the same)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute(_LAYOUT)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {SCHEMA}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.rollback()
        db.close()
        raise


def _remove(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _damaged(exc: Exception) -> bool:
    return getattr(exc, "sqlite_errorcode", None) in _DAMAGED


def _checksum(digest: bytes, value: bytes) -> int:
    return zlib.crc32(value, zlib.crc32(digest))


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16, key=code_digest()).digest()
