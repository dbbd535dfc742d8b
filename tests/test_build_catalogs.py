"""Issue 12, the translation side of the build: each English page is parsed once per build, not once
per language; the build holds an article's catalog only while it uses it; a page's kept parse is
reused only for the same page with the same body; translations read the same as before."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from thinktank import catalog, frontmatter, segments
from thinktank.library import load_library
from thinktank.localize import Localizer

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 6


def _archive_module():
    spec = importlib.util.spec_from_file_location("archive", ROOT / "scripts" / "archive.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _build(config_file: Path) -> object:
    """``mkdocs build`` in this process, every pass in it (so the parser and the last pass can be watched:
    no pass in a fork, see :mod:`thinktank.mkdocs_plugin.passes`); the thinktank plugin instance."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(config_file), site_dir=str(config_file.parent / "site"))
    config.plugins["thinktank"].config.parallel = False
    build(config)
    return config.plugins["thinktank"]


def test_a_build_parses_each_english_article_once_and_ends_holding_no_article_catalog(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config_file = _archive_module().make_archive(tmp_path / "archive", ARTICLES)
    docs = config_file.parent / "docs"
    pages = [path for path in (docs / "analyses").glob("*.md") if path.name != "index.md"]
    bodies = Counter(frontmatter.read(path, fields=False)[1].rstrip("\n") for path in pages)
    assert sum(bodies.values()) == ARTICLES + 2 and len(bodies) == 2  # the two seeds and three copies of each
    parsed: Counter[str] = Counter()
    slots = segments._slots

    def counted(body: str):  # noqa: ANN202 - the walker's own type
        parsed[body.rstrip("\n")] += 1
        return slots(body)

    monkeypatch.setattr(segments, "_slots", counted)
    monkeypatch.setenv("THINKTANK_PDF", "0")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(config_file.parent)
    plugin = _build(config_file)
    # Three passes (en, tr, ru) used to parse each article three times: at the library's load and in each
    # translated pass. Now the library's parse is the only one.
    assert {body: parsed[body] for body in bodies} == dict(bodies)
    assert (config_file.parent / "site" / "ru" / "analyses" / "index.html").exists()
    localizer = plugin.localizer
    assert localizer is not None and localizer.lang == "ru"
    articles = {entry.uri for entry in plugin.library.articles}
    assert len(articles) == ARTICLES + 2
    assert not articles & set(localizer._entries), "the last pass still holds article catalogs"


def test_localizer_reads_an_article_catalog_once_and_forgets_it_when_its_page_is_rendered(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """library() reads each article's catalog for the listings, page() renders from it and lets it go; the
    table's msgids are the kept parse's own strings, not copies."""
    english = load_library(ROOT / "docs", ["analyses"])
    reads: list[str] = []
    shown = catalog.shown

    def counted(path: Path, data: bytes | None = None) -> dict[str, object]:
        if path.parent.name == "analyses":
            reads.append(path.name)
        return shown(path, data)

    monkeypatch.setattr(catalog, "shown", counted)
    localizer = Localizer(ROOT / "translations", "tr")
    translated = localizer.library(english)
    articles = {entry.uri for entry in english.articles}
    assert articles and articles <= set(localizer._entries)
    for entry in english.articles:
        texts = english.parses.texts(entry.uri)
        shared = [msgid for msgid in localizer._entries[entry.uri] if msgid in texts]
        assert len(shared) > 10 and all(msgid is texts[msgid] for msgid in shared)
        meta, body = frontmatter.read(ROOT / "docs" / entry.uri, fields=False)
        page = localizer.page(entry.uri, meta, body)
        assert entry.uri not in localizer._entries
        assert page.meta["title"] == translated.article(entry.uri).title != entry.title
    assert sorted(reads) == sorted(Path(uri).with_suffix(".po").name for uri in articles)


def test_a_kept_parse_is_used_only_for_its_page_and_its_body() -> None:
    parses = segments.Parses()
    body = "# Title\n\nA paragraph.[^1]\n\n- an item\n\n[^1]: A note.\n"
    first = parses.body_segments("a.md", body)
    assert parses.parsed == 1
    assert parses.body_segments("a.md", body) == first and parses.parsed == 1
    assert parses.body_segments("a.md", body.rstrip("\n")) == first and parses.parsed == 1  # static-i18n's form
    assert parses.body_segments("b.md", body) == first and parses.parsed == 2  # same text, another page
    edited = body.replace("A paragraph", "An edited paragraph")
    assert [s.text for s in parses.body_segments("a.md", edited)] == [s.text for s in segments.body_segments(edited)]
    assert parses.parsed == 3
    done = parses.substitute_page("a.md", {"title": "T"}, edited, lambda text: text.upper())
    assert done == segments.substitute_page({"title": "T"}, edited, lambda text: text.upper())
    assert parses.parsed == 3


def _bodies() -> list[tuple[str, str]]:
    found = []
    for folder in (ROOT / "docs", ROOT / "tests" / "i18n", ROOT / "tests" / "cases"):
        for path in sorted(folder.rglob("*.md")):
            try:
                found.append((path.name, frontmatter.read(path, fields=False)[1]))
            except Exception:  # noqa: BLE001 - fixtures of refused pages are not bodies
                continue
    return found


def test_line_ends_at_the_end_of_a_body_change_no_slot() -> None:
    """Why a kept parse may ignore them: every page and fixture gives the same slots with or without them."""
    bodies = _bodies()
    assert len(bodies) > 20
    for name, body in bodies:
        base = list(segments._slots(body.rstrip("\n")))
        for variant in (body, body.rstrip("\n") + "\n", body.rstrip("\n") + "\n\n\n"):
            assert list(segments._slots(variant)) == base, name


def test_pages_translate_as_a_fresh_parse_would() -> None:
    """The kept parse gives exactly the page a parse of its own would (the committed site, every article)."""
    english = load_library(ROOT / "docs", ["analyses"])
    for lang in ("tr", "ru"):
        localizer = Localizer(ROOT / "translations", lang)
        localizer.library(english)
        for entry in english.articles:
            meta, body = frontmatter.read(ROOT / "docs" / entry.uri, fields=False)
            mkdocs_body = "\n".join(body.splitlines())
            page = localizer.page(entry.uri, dict(meta), mkdocs_body)
            fresh = Localizer(ROOT / "translations", lang).page(entry.uri, dict(meta), mkdocs_body)
            assert page == fresh
    assert english.parses.parsed == len(english.articles)
