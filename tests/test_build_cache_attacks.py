"""Issue 12, attacked: a build with a cache writes exactly the site a build without one writes, and a cache
that cannot be used (damaged, foreign, locked, killed mid-save) never fails a build, changes its output,
holds the build up file after file, or stays unusable for every later build."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from thinktank import build_cache, catalog
from thinktank.build_cache import BuildCache
from thinktank.library import load_library
from thinktank.localize import Localizer

from .conftest import build_site, saved_cache, snapshot

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "analyses/background-of-russia-north-korea-cooperation.md"
OTHER = "analyses/north-korea-strengthens-cooperation-with-russia.md"


def _usable(path: Path) -> bool:
    """Can a build keep something in the cache at ``path`` and find it in the next build?"""
    saved_cache(path, ("article", "probe.md", b"probe", "kept"))
    return BuildCache(path).get("article", "probe.md", b"probe") == "kept"


# --- A damaged row is a miss, never a failure or another answer -------------------------------------

@pytest.mark.parametrize("damage", ["a value of another type", "a flipped letter in the value"])
def test_a_damaged_row_is_read_again_from_the_file(tmp_path: Path, damage: str) -> None:
    """A value that still loads but is not what was put (a bit flipped on disk, a hand-edited row) would
    either fail the build with a traceback or show a wrong title: each row carries a check of its value."""
    docs, translations = tmp_path / "docs", tmp_path / "translations"
    shutil.copytree(ROOT / "docs", docs)
    shutil.copytree(ROOT / "translations", translations)
    path = tmp_path / "cache.sqlite"
    first = BuildCache(path)
    english = load_library(docs, ["analyses"], first)
    turkish = Localizer(translations, "tr", cache=first).library(english)
    first.save()

    damaged = 0
    with sqlite3.connect(path) as db:
        for kind, name, value in db.execute("SELECT kind, name, value FROM parsed").fetchall():
            if damage == "a value of another type":
                changed = json.dumps("x" if kind == "article" else [1]).encode()
            else:
                changed = value.replace(b"Korea", b"Korei", 1).replace("Kore".encode(), "Kora".encode(), 1)
            damaged += changed != value
            db.execute("UPDATE parsed SET value = ? WHERE kind = ? AND name = ?", (changed, kind, name))
    assert damaged >= len(english.articles) * 2

    again = BuildCache(path)
    english_again = load_library(docs, ["analyses"], again)
    turkish_again = Localizer(translations, "tr", cache=again).library(english_again)
    assert english_again.articles == english.articles
    assert english_again.parses.parsed == len(english.articles)  # each read from its file
    assert turkish_again.articles == turkish.articles
    assert again.misses == damaged  # the rows left as they were are still found


def test_a_cache_whose_code_cannot_be_read_is_a_miss_not_a_failure(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """``put`` never raises: not when the reading modules' source cannot be read (a thinktank installed as
    .pyc files only, a source removed under a running ``mkdocs serve``), nor for a value that is not JSON data."""
    def unreadable() -> bytes:
        raise FileNotFoundError(2, "No such file or directory", "library.py")

    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    monkeypatch.setattr(build_cache, "code_digest", unreadable)
    cache = BuildCache(tmp_path / "cache.sqlite")
    assert load_library(docs, ["analyses"], cache).articles == load_library(docs, ["analyses"]).articles
    cache.put("article", "a.md", b"a", lambda: None)  # not JSON data
    cache.save()
    monkeypatch.undo()
    other = BuildCache(tmp_path / "cache.sqlite")
    other.put("article", "b.md", b"b", lambda: None)
    other.put("article", "c.md", b"c", 3)
    other.save()
    assert BuildCache(tmp_path / "cache.sqlite").get("article", "c.md", b"c") == 3


# --- A cache file that cannot be used is started afresh when it is ours, left alone when not ---------

def _truncated(path: Path) -> None:
    saved_cache(path, *(("catalog", f"tr/{n}.md", b"%d" % n, "x" * 3000) for n in range(60)))
    data = path.read_bytes()
    assert len(data) > 8192
    path.write_bytes(data[:len(data) // 2])


def _first_layout(path: Path) -> None:
    """The layout of another version of the cache (columns changed)."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE parsed (kind TEXT, name TEXT, value BLOB, PRIMARY KEY (kind, name))")
        db.execute("INSERT INTO parsed VALUES ('article', 'a.md', x'00')")


def _later_schema(path: Path) -> None:
    saved_cache(path, ("article", "a.md", b"one", 1))
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {build_cache.SCHEMA + 1}")


def _header_only(path: Path) -> None:
    saved_cache(path, ("article", "a.md", b"one", 1))
    path.write_bytes(path.read_bytes()[:100])


@pytest.mark.parametrize("state", [_truncated, _first_layout, _later_schema, _header_only])
def test_a_damaged_or_outdated_cache_file_is_started_afresh(tmp_path: Path, state: Callable[[Path], None]) -> None:
    """Else one damaged file (a disk full mid-save, a copy cut short, another version's layout) makes every
    later build a build without cache, silently."""
    path = tmp_path / "cache.sqlite"
    state(path)
    assert BuildCache(path).get("article", "a.md", b"one") is None
    assert _usable(path)


@pytest.mark.parametrize("foreign", ["text", "another database"])
def test_a_file_that_is_not_a_build_cache_is_left_as_it_is(tmp_path: Path, foreign: str) -> None:
    """``build_cache:`` pointed at a file of the project by mistake: the build goes on without cache and the
    file keeps its bytes (no table added to another program's database, no text file replaced)."""
    path = tmp_path / "data.db"
    if foreign == "text":
        path.write_text("site_name: not a cache\n" * 100, "utf-8")
    else:
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE notes (body TEXT)")
            db.execute("INSERT INTO notes VALUES ('keep me')")
    before = path.read_bytes()
    assert not _usable(path)
    assert path.read_bytes() == before


# --- Locks and kills ------------------------------------------------------------------------------

def test_a_cache_locked_after_it_was_opened_is_given_up_once(tmp_path: Path) -> None:
    """Another build stopped mid-save (Ctrl-Z) holds the file: this build waits for it once, then goes on
    without cache, instead of waiting the timeout again for each of its thousands of files."""
    path = tmp_path / "cache.sqlite"
    saved_cache(path, ("article", "a.md", b"one", 1))
    cache = BuildCache(path, timeout=0.2)
    assert cache.get("article", "a.md", b"one") == 1
    other = sqlite3.connect(path)
    other.execute("BEGIN EXCLUSIVE")
    try:
        start = time.monotonic()
        for number in range(12):
            assert cache.get("article", f"{number}.md", b"x") is None
            cache.put("article", f"{number}.md", b"x", number)
        cache.save()
        elapsed = time.monotonic() - start
    finally:
        other.rollback()
        other.close()
    assert elapsed < 1.2, f"{elapsed:.1f} s: the lock was waited for at every file"
    assert BuildCache(path).get("article", "a.md", b"one") == 1


_SAVER = """
import sys
from pathlib import Path
from thinktank.build_cache import BuildCache
path, generation = Path(sys.argv[1]), int(sys.argv[2])
cache = BuildCache(path)
for n in range(200):
    data = b"%d-%d" % (generation, n)
    cache.put("catalog", f"tr/{n}.md", data, data * 4000)
print("saving", flush=True)
cache.save()
print("saved", flush=True)
"""


def _kill_saves(tmp_path: Path, kills: int) -> None:
    path = tmp_path / "cache.sqlite"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    chance = random.Random(12)
    for generation in range(kills):
        with subprocess.Popen([sys.executable, "-c", _SAVER, str(path), str(generation)], env=env,
                              stdout=subprocess.PIPE, text=True) as child:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "saving"
            time.sleep(chance.uniform(0, 0.05))
            child.send_signal(signal.SIGKILL)
        cache = BuildCache(path)
        for old in range(generation + 1):  # each row is all of one save or not there
            for n in range(0, 200, 7):
                data = b"%d-%d" % (old, n)
                found = cache.get("catalog", f"tr/{n}.md", data)
                assert found is None or found == data * 4000
        cache.save()
    assert _usable(path)


def test_a_build_killed_while_saving_leaves_a_cache_of_whole_rows(tmp_path: Path) -> None:
    _kill_saves(tmp_path, 3)


@pytest.mark.slow
def test_builds_killed_while_saving_twenty_times_leave_a_cache_of_whole_rows(tmp_path: Path) -> None:
    _kill_saves(tmp_path, 20)


# --- Memory -----------------------------------------------------------------------------------------

def test_what_a_build_puts_is_not_held_in_memory_until_its_end(tmp_path: Path) -> None:
    """The build drops each catalog after its page (:class:`thinktank.localize.Localizer`); a cold build's
    cache must not keep a copy of every catalog (as its rows) until the build ends, or a 1,000-article
    build holds all its 2,000 catalogs again."""
    path = tmp_path / "cache.sqlite"
    table = [["msgid %d" % n, "msgstr %d " % n * 40, False, ""] for n in range(800)]  # ~300 KiB as JSON
    size = len(json.dumps(table))
    cache = BuildCache(path)
    tracemalloc.start()
    try:
        for number in range(100):  # ~30 MiB put in all
            cache.put("catalog", f"tr/{number}.md", b"%d" % number, table)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    cache.save()
    assert size * 100 > 24 << 20 and held < 10 << 20, f"{held >> 20} MiB held of {size * 100 >> 20} MiB put"
    assert BuildCache(path).get("catalog", "tr/99.md", b"99") == table


# --- Whole sites ------------------------------------------------------------------------------------

def _sub(path: Path, old: str, new: str) -> None:
    text = path.read_bytes().decode("utf-8")
    assert old in text, (path, old)
    path.write_bytes(text.replace(old, new, 1).encode("utf-8"))


def _edit_everything(repo: Path) -> None:
    """One edit of each kind between two builds."""
    docs, translations = repo / "docs", repo / "translations"
    first, second = docs / OTHER, docs / ARTICLE
    _sub(first, "- Military Cooperation", "- Military Cooperation\n- Space")
    _sub(first, "North Korea closed its borders", "North Korea shut its borders")
    po = catalog.catalog_path(translations, "tr", OTHER)
    _sub(po, "#, fuzzy\nmsgid \"North Korea closed", "msgid \"North Korea closed")  # reviewed
    _sub(po, "#. manual draft by project contributors, not yet reviewed\n#: analyses/north-korea-strengthens-"
         "cooperation-with-russia.md:3", "#. machine draft by argos 1.9, not yet reviewed\n#: analyses/"
         "north-korea-strengthens-cooperation-with-russia.md:3")
    po.write_bytes(po.read_bytes() + b'\n#~ msgid "An old sentence."\n#~ msgstr "Eski bir c\xc3\xbcmle."\n')
    _sub(translations / "glossary.yml", "tr: Askeri İşbirliği", "tr: Askerî İşbirliği")
    bio = docs / "authors" / "oskar-pietrewicz.md"
    bio.write_text(bio.read_text("utf-8") + "\nOskar writes about Korea.\n", "utf-8")
    (docs / "analyses" / "twin.md").write_bytes(second.read_bytes())  # the bytes of another file
    for lang in ("tr", "ru"):
        source = catalog.catalog_path(translations, lang, ARTICLE)
        source.with_name("twin.po").write_bytes(source.read_bytes())
    second.write_bytes(b"\xef\xbb\xbf" + second.read_bytes().replace(b"\n", b"\r\n"))
    ru = catalog.catalog_path(translations, "ru", ARTICLE)
    ru.write_bytes(ru.read_bytes().replace(b"\n", b"\r\n"))
    first.rename(first.with_name("renamed.md"))
    for lang in ("tr", "ru"):
        moved = catalog.catalog_path(translations, lang, OTHER)
        moved.rename(moved.with_name("renamed.po"))


def test_a_site_built_again_after_every_kind_of_edit_is_the_site_built_without_cache(
        repo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THINKTANK_PDF", "0")
    build_site(repo_copy)
    _edit_everything(repo_copy)
    warm = snapshot(build_site(repo_copy))
    shutil.rmtree(repo_copy / "build")
    shutil.rmtree(repo_copy / "site")
    assert snapshot(build_site(repo_copy)) == warm
    assert "analyses/renamed/index.html" in warm and "analyses/twin/index.html" in warm


def _build_fails(work: Path) -> str:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "THINKTANK_PDF": "0"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(work / "mkdocs.yml")],
                            capture_output=True, text=True, env=env, cwd=work)
    assert result.returncode != 0
    return "\n".join(line for line in result.stderr.splitlines() if line.startswith("ERROR"))


@pytest.mark.slow
@pytest.mark.parametrize("refused", ["page", "catalog"])
def test_a_file_refused_once_is_refused_again_by_a_warm_build(repo_copy: Path, refused: str) -> None:
    build_site(repo_copy)
    if refused == "page":
        _sub(repo_copy / "docs" / ARTICLE, "title:", "title: [unclosed")
    else:
        po = catalog.catalog_path(repo_copy / "translations", "tr", ARTICLE)
        po.write_bytes(po.read_bytes() + b'\nmsgid "dangling\n')
    first = _build_fails(repo_copy)
    assert first and _build_fails(repo_copy) == first
