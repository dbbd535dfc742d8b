"""Issue 12, the build cache: a later build reuses what an earlier one parsed, only for the very bytes it was
parsed from, and a cache that cannot be used is a miss, never a failure or an old answer."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thinktank import build_cache, catalog, library, segments
from thinktank.build_cache import BuildCache
from thinktank.library import ArticleEntry, load_library
from thinktank.localize import Localizer

from .conftest import build_site, saved_cache, snapshot

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "analyses/background-of-russia-north-korea-cooperation.md"


def test_a_value_is_found_only_for_the_bytes_it_was_made_from(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    saved_cache(path, ("article", "a.md", b"one", {"title": "One"}), ("catalog", "tr/a.md", b"po", [["a", "b"]]))
    cache = BuildCache(path)
    assert cache.get("article", "a.md", b"one") == {"title": "One"}
    assert cache.get("article", "a.md", b"one!") is None  # the file was edited
    assert cache.get("catalog", "ru/a.md", b"po") is None  # another file with the same bytes
    assert cache.get("catalog", "tr/a.md", b"po") == [["a", "b"]]
    assert (cache.hits, cache.misses) == (2, 2)


def test_other_code_finds_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new thinktank, markdown-it or PyYAML may read the same bytes differently."""
    path = tmp_path / "cache.sqlite"
    saved_cache(path, ("article", "a.md", b"one", "old reading"))
    monkeypatch.setattr(build_cache, "code_digest", lambda: b"another version of the code")
    assert BuildCache(path).get("article", "a.md", b"one") is None


def test_the_digest_covers_the_code_that_reads_the_files() -> None:
    assert {"library", "segments", "frontmatter", "po", "catalog", "localize"} <= set(build_cache._CODE_MODULES)
    assert len(build_cache.code_digest()) == 16


def test_a_save_forgets_the_files_this_build_did_not_ask_about(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    saved_cache(path, ("article", "kept.md", b"k", 1), ("article", "removed.md", b"r", 2))
    cache = BuildCache(path)
    assert cache.get("article", "kept.md", b"k") == 1
    cache.save()
    rows = sqlite3.connect(path).execute("SELECT name FROM parsed").fetchall()
    assert rows == [("kept.md",)]


@pytest.mark.parametrize("damage", ["garbage", "bad row", "directory", "under a file"])
def test_a_cache_that_cannot_be_used_is_a_miss_and_the_build_goes_on(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "cache.sqlite"
    if damage == "garbage":
        path.write_bytes(b"not sqlite at all" * 100)
    elif damage == "bad row":
        saved_cache(path, ("article", "a.md", b"one", 1))
        with sqlite3.connect(path) as db:
            db.execute("UPDATE parsed SET value = ?", (b"\x80\x05not a pickle",))
    elif damage == "directory":
        path.mkdir()
    else:
        (tmp_path / "file").write_text("x")
        path = tmp_path / "file" / "cache.sqlite"
    cache = BuildCache(path)
    assert cache.get("article", "a.md", b"one") is None
    cache.put("article", "a.md", b"one", 1)
    cache.save()  # nothing raised


def test_a_locked_cache_is_given_up_without_failing(tmp_path: Path) -> None:
    """Another build writing the file at the same time: this one's save gives up after the timeout."""
    path = tmp_path / "cache.sqlite"
    saved_cache(path, ("article", "a.md", b"one", 1))
    other = sqlite3.connect(path)
    other.execute("BEGIN EXCLUSIVE")
    try:
        cache = BuildCache(path, timeout=0.05)
        assert cache.get("article", "a.md", b"one") is None
        cache.put("article", "b.md", b"two", 2)
        cache.save()
    finally:
        other.rollback()
        other.close()
    assert BuildCache(path).get("article", "b.md", b"two") is None


def test_a_library_read_again_parses_only_the_edited_article(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    path = tmp_path / "cache.sqlite"
    first = BuildCache(path)
    fresh = load_library(docs, ["analyses"], first)
    first.save()
    assert fresh.parses.parsed == len(fresh.articles) == 2

    again = load_library(docs, ["analyses"], BuildCache(path))
    assert again.parses.parsed == 0 and again.articles == fresh.articles
    for entry in fresh.articles:
        assert again.parses.kept(entry.uri) == fresh.parses.kept(entry.uri)

    page = docs / ARTICLE
    page.write_text(page.read_text("utf-8").replace("title: Background", "title: Edited background"), "utf-8")
    edited = load_library(docs, ["analyses"], BuildCache(path))
    assert edited.parses.parsed == 1
    assert edited.article(ARTICLE).title == "Edited background of Russia-North Korea Cooperation"


def test_catalogs_read_from_the_cache_translate_as_read_from_their_files(tmp_path: Path) -> None:
    translations = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", translations)
    english = load_library(ROOT / "docs", ["analyses"])
    path = tmp_path / "cache.sqlite"
    cold = BuildCache(path)
    fresh = Localizer(translations, "tr", cache=cold).library(english)
    cold.save()
    warm = BuildCache(path)
    cached = Localizer(translations, "tr", cache=warm).library(english)
    assert warm.hits >= 2 and warm.misses == 0 and cached.articles == fresh.articles

    po = catalog.catalog_path(translations, "tr", ARTICLE)
    po.write_text(po.read_text("utf-8").replace("Rusya-Kuzey Kore İşbirliğinin Arka Planı", "Yeni başlık"), "utf-8")
    edited = Localizer(translations, "tr", cache=BuildCache(path)).library(english)
    assert edited.article(ARTICLE).title == "Yeni başlık"


def test_a_site_built_again_after_edits_shows_the_edits_as_a_build_without_cache_does(
        repo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second build reads the unchanged files from the cache; what it writes is what a build that never
    had a cache writes."""
    monkeypatch.setenv("THINKTANK_PDF", "0")
    site = build_site(repo_copy)
    assert (repo_copy / "build" / "cache" / "site.sqlite").is_file()
    page = repo_copy / "docs" / ARTICLE
    page.write_text(page.read_text("utf-8").replace("title: Background", "title: Edited background"), "utf-8")
    po = catalog.catalog_path(repo_copy / "translations", "tr", ARTICLE)
    po.write_text(po.read_text("utf-8").replace("Ukrayna'da savaş sürerken", "Ukrayna'da savaş hâlâ sürerken"), "utf-8")
    warm = snapshot(build_site(repo_copy))
    shutil.rmtree(repo_copy / "build")
    shutil.rmtree(site)
    assert snapshot(build_site(repo_copy)) == warm
    assert "Edited background" in warm["analyses/background-of-russia-north-korea-cooperation/index.html"].decode()
    assert "savaş hâlâ sürerken" in warm["tr/analyses/background-of-russia-north-korea-cooperation/index.html"].decode()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(), paragraph=st.text(), tags=st.lists(st.text(), max_size=3), date=st.none() | st.dates())
def test_an_article_and_its_parse_read_back_from_the_cache_as_they_were(
        tmp_path: Path, title: str, paragraph: str, tags: list[str], date: dt.date | None) -> None:
    """Any text (lone surrogates from a YAML escape, NULs, other scripts) and any date survive the JSON row."""
    entry = ArticleEntry(uri="a/x.md", title=title, authors=("a", title), date=date, first_paragraph=paragraph,
                         tags=tuple(tags), minutes=3)
    parses = segments.Parses()
    parses.body_segments("a/x.md", f"# {title}\n\n{paragraph}\n\n- {paragraph}\n")
    path = tmp_path / f"{uuid.uuid4().hex}.sqlite"
    saved_cache(path, ("article", "a/x.md", b"x", [library._plain(entry), parses.kept("a/x.md")]))
    row = BuildCache(path).get("article", "a/x.md", b"x")
    assert library._from_plain(row[0]) == entry
    again = segments.Parses()
    again.keep("a/x.md", row[1])
    assert again.kept("a/x.md") == parses.kept("a/x.md") and again._kept == parses._kept
