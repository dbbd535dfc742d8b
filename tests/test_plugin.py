"""The MkDocs adapter: its entry point, its reads of mkdocs-static-i18n, one read of docs/ per build.

The builds here run in-process (``mkdocs.commands.build.build``) so that a
test can count calls and reuse one plugin instance for a second build, as
``mkdocs serve`` and programmatic rebuilds do.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from thinktank import library
from thinktank.mkdocs_plugin import ThinktankPlugin, i18n

ANKASAM = "docs/analyses/background-of-russia-north-korea-cooperation.md"
TITLE = "title: Background of Russia-North Korea Cooperation"


@pytest.fixture
def quiet() -> Iterator[None]:
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every ``library.load_library`` call's docs folder."""
    calls: list[Path] = []
    original = library.load_library

    def counting(docs_dir: Path, sections: list[str], cache: object = None) -> library.Library:
        calls.append(docs_dir)
        return original(docs_dir, sections, cache)  # type: ignore[arg-type]

    monkeypatch.setattr(library, "load_library", counting)
    return calls


def test_the_entry_point_is_the_plugin_class() -> None:
    (point,) = entry_points(group="mkdocs.plugins", name="thinktank")
    assert point.value == "thinktank.mkdocs_plugin:ThinktankPlugin"
    assert point.load() is ThinktankPlugin


def test_a_build_reads_docs_once_and_a_rebuild_reads_the_edited_pages(repo_copy: Path, loads: list[Path],
                                                                        quiet: None) -> None:
    config = load_config(config_file=str(repo_copy / "mkdocs.yml"))
    build(config)
    assert len(loads) == 1, "one read of docs/ for the three language passes and the feeds"
    site = repo_copy / "site"
    assert "Background of Russia-North Korea Cooperation" in (site / "feed.xml").read_text("utf-8")
    assert all((site / prefix / "feed.xml").exists() for prefix in ("tr/", "ru/")), "every language pass ran"

    page = repo_copy / ANKASAM
    page.write_text(page.read_text("utf-8").replace(TITLE, "title: An Edited Title"), "utf-8")
    # The catalogs have no msgid for the new title, so every language shows it as written.
    build(config)  # the same plugin instance, as mkdocs serve's rebuilds may reuse it
    assert len(loads) == 2
    for prefix in ("", "tr/", "ru/"):
        assert "An Edited Title" in (site / prefix / "index.html").read_text("utf-8"), prefix
        assert "An Edited Title" in (site / prefix / "feed.xml").read_text("utf-8"), prefix


def test_the_pages_static_i18n_keeps_to_the_end_hold_no_text(repo_copy: Path, quiet: None) -> None:
    """static-i18n keeps every pass's pages until the build ends; their Markdown and HTML are let go of once the
    page is written (they were a fifth of a 1,000-analysis build's peak), and the site still has its text."""
    config = load_config(config_file=str(repo_copy / "mkdocs.yml"))
    build(config)
    kept = config.plugins["i18n"].i18n_files_per_language
    assert {"en", "tr"} <= set(kept)  # and ru, unless it was built in a fork (.passes)
    pages = [file.page for files in kept.values() for file in files if file.page is not None]
    assert len(pages) >= 3 * 5
    assert all(page.markdown is None and page.content is None for page in pages)
    assert "Background of Russia-North Korea Cooperation" in (repo_copy / "site" / "index.html").read_text("utf-8")


def test_an_author_id_without_a_page_is_a_warning_naming_the_article(repo_copy: Path,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    """A misspelt author id was published silently, shown as the id with no author box, even by --strict."""
    page = repo_copy / ANKASAM
    page.write_text(page.read_text("utf-8").replace("- zeki-talustan-gulten\n", "- zeki-talustan-gultenx\n", 1), "utf-8")
    os.environ.setdefault("THINKTANK_PDF", "0")
    config = load_config(config_file=str(repo_copy / "mkdocs.yml"), strict=True)
    with pytest.raises(Abort, match="1 warnings in strict mode"):
        build(config)
    warned = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert warned == [f"thinktank: {page}: author 'zeki-talustan-gultenx' has no page in authors/ (shown as the id, without "
                      "author box or page)"]


def test_a_build_does_not_say_the_404_pages_it_writes_were_skipped(repo_copy: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    """Each nested pass's 404 page is written under its folder and MkDocs' own write emptied on purpose; MkDocs'
    "Template skipped: '404.html' generated empty output." said, once a language, that it was not written."""
    os.environ.setdefault("THINKTANK_PDF", "0")
    caplog.set_level(logging.INFO)
    build(load_config(config_file=str(repo_copy / "mkdocs.yml")))
    assert (repo_copy / "site" / "tr" / "404.html").exists() and (repo_copy / "site" / "ru" / "404.html").exists()
    assert any("Building 'tr' documentation" in record.getMessage() for record in caplog.records)
    assert not [record for record in caplog.records if "Template skipped" in record.getMessage()]


def test_a_broken_link_of_a_translation_is_reported_with_its_catalog(repo_copy: Path,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    """MkDocs names the page's English source ("Doc file 'about.md' contains a link ..."): a link a translator
    broke is said to be in the catalog; one the English source has is reported as MkDocs reports it."""
    catalog = repo_copy / "translations" / "tr" / "about.po"
    catalog.write_text(catalog.read_text("utf-8").replace("örnek sitesidir", "[örnek](missing-page.md) sitesidir", 1),
                       "utf-8")
    os.environ.setdefault("THINKTANK_PDF", "0")
    config = load_config(config_file=str(repo_copy / "mkdocs.yml"), strict=False)
    build(config)
    warned = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert warned == ["Doc file 'about.md' contains a link 'missing-page.md', but the target is not found among "
                      f"documentation files. (The link is in its translation, {catalog}.)"]
    caplog.clear()
    page = repo_copy / "docs" / "about.md"
    page.write_text(page.read_text("utf-8") + "\n[Elsewhere](gone.md)\n", "utf-8")
    build(load_config(config_file=str(repo_copy / "mkdocs.yml"), strict=False))
    gone = [record.getMessage() for record in caplog.records if "'gone.md'" in record.getMessage()]
    assert gone and all(line == "Doc file 'about.md' contains a link 'gone.md', but the target is not found "
                        "among documentation files." for line in gone), gone


def test_a_bad_page_stops_the_build_with_one_line_naming_it(repo_copy: Path, quiet: None,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    page = repo_copy / ANKASAM
    page.write_text(page.read_text("utf-8").replace("\n---\n", "\ndate: '2024-13-45'\n---\n", 1), "utf-8")
    config = load_config(config_file=str(repo_copy / "mkdocs.yml"))
    with pytest.raises(Abort):  # MkDocs logs a PluginError's message as one error and aborts, no traceback
        build(config)
    (record,) = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert record.exc_info is None and "\n" not in record.getMessage()
    assert record.getMessage() == f"{page}: date: '2024-13-45' is not a date (YYYY-MM-DD)"


def _config(plugin: Any) -> Any:
    return SimpleNamespace(plugins={"i18n": plugin} if plugin is not None else {}, extra=SimpleNamespace())


def test_without_static_i18n_the_site_is_one_language() -> None:
    config = _config(None)
    assert i18n.current_language(config) == "en"
    assert i18n.languages(config) == ["en"]
    assert not i18n.in_nested_pass(config)
    assert i18n.home_alternates(config) is None
    i18n.reset_alternates_to_home_pages(config)
    assert not hasattr(config.extra, "alternate")


def test_what_the_adapter_reads_from_a_static_i18n_plugin() -> None:
    homes = [{"name": "English", "link": "/", "lang": "en"}, {"name": "Türkçe", "link": "/tr/", "lang": "tr"}]
    plugin = SimpleNamespace(current_language="tr", building=True, extra_alternate=homes,
                             config=SimpleNamespace(languages=[SimpleNamespace(locale="en"),
                                                               SimpleNamespace(locale="tr")]))
    config = _config(plugin)
    assert i18n.current_language(config) == "tr" and i18n.in_nested_pass(config)
    assert i18n.languages(config) == ["en", "tr"]
    i18n.reset_alternates_to_home_pages(config)
    assert config.extra.alternate == homes
    config.extra.alternate[0]["link"] = "/changed/"  # a copy: a template cannot change static-i18n's list
    assert homes[0]["link"] == "/"


def test_the_installed_static_i18n_has_what_the_adapter_reads(repo_copy: Path) -> None:
    """Pins the static-i18n 1.3 attributes :mod:`thinktank.mkdocs_plugin.i18n` relies on."""
    config = load_config(config_file=str(repo_copy / "mkdocs.yml"))
    plugin = config.plugins["i18n"]
    assert plugin.current_language is None and plugin.building is False and plugin.extra_alternate == {}
    assert i18n.languages(config) == ["en", "tr", "ru"]
    assert i18n.current_language(config) == "en" and not i18n.in_nested_pass(config)
    plugin.on_config(config)  # static-i18n's own on_config: default language, the home pages' switcher
    assert plugin.current_language == "en"
    assert [item["link"] for item in i18n.home_alternates(config) or []] == ["/", "/tr/", "/ru/"]



def test_the_installed_material_search_holds_what_the_split_reads(repo_copy: Path, quiet: None) -> None:
    """Pins what the per-language indexes are cut from: the entries Material's search plugin holds
    (``search_index.entries``) and static-i18n's collection of every pass's (``search_entries``, with its
    ``reconfigure_search_duplicates``). Each nested pass takes its own out, so the merged index holds only the
    default language's after a build."""
    os.environ.setdefault("THINKTANK_PDF", "0")
    config = load_config(config_file=str(repo_copy / "mkdocs.yml"))
    plugin = config.plugins["i18n"]
    assert isinstance(plugin.search_entries, list) and callable(plugin.reconfigure_search_duplicates)
    assert plugin.config.reconfigure_search is True
    build(config)
    entries = i18n.search_entries(config)
    assert entries and all(isinstance(entry, dict) and "location" in entry for entry in entries)
    assert {entry["location"].split("/")[0] for entry in entries}.isdisjoint({"tr", "ru"})
    for prefix in ("", "tr/", "ru/"):
        index = json.loads((repo_copy / "site" / prefix / "search" / "search_index.json").read_text("utf-8"))
        assert any(doc["location"].startswith("analyses/") for doc in index["docs"]), prefix
    # The head of each index is the plugin's settings, as each pass takes them, with its language's stemmer:
    # what Material's own index generation writes.
    settings = i18n.search_settings(config)
    material = config.plugins["material/search"]
    assert settings == json.loads(material.search_index.generate_search_index(None))["config"]
    assert settings is not None and set(settings["lang"]) >= {"en", "tr", "ru"}
    for prefix in ("", "tr/", "ru/"):
        written = json.loads((repo_copy / "site" / prefix / "search" / "search_index.json").read_text("utf-8"))
        assert {**written["config"], "lang": settings["lang"]} == settings


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 12), st.sampled_from("ab"), st.sampled_from("xy")),
                max_size=40, unique_by=lambda item: item[:2]))
def test_search_duplicates_are_dropped_as_static_i18n_drops_them(items: list[tuple[bool, int, str, str]]) -> None:
    """The lookup gives what static-i18n's own scan (``reconfigure_search_duplicates``) leaves of a pass's entries."""
    from mkdocs_static_i18n.plugin import I18n

    english = [{"location": f"p{n}/", "title": title, "text": text} for tr, n, title, text in items if not tr]
    turkish = [{"location": f"tr/p{n}/", "title": title, "text": text} for tr, n, title, text in items if tr]
    merged = english + turkish
    expected = list(merged)
    I18n.reconfigure_search_duplicates(SimpleNamespace(build_languages=["en", "tr", "ru"]), expected)
    wanted = {id(entry) for entry in turkish}
    assert i18n.without_search_duplicates(merged, ("en/", "tr/", "ru/"), wanted) == \
        [entry for entry in expected if id(entry) in wanted]


def test_each_pass_writes_the_index_the_merged_split_would(repo_copy: Path, quiet: None,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A pass's own index (its entries, static-i18n's duplicates dropped) is byte for byte the index cut from
    static-i18n's merged one, which is what the build wrote before each pass took its own."""
    os.environ.setdefault("THINKTANK_PDF", "0")
    # Nothing to translate: its tr and ru pages are the English one, which static-i18n drops as duplicates.
    (repo_copy / "docs" / "plain.md").write_text("```\ncode only\n```\n", encoding="utf-8")

    def indexes(site: str) -> dict[str, bytes]:
        config = load_config(config_file=str(repo_copy / "mkdocs.yml"), site_dir=str(repo_copy / site))
        build(config)
        return {prefix: (repo_copy / site / prefix / "search" / "search_index.json").read_bytes()
                for prefix in ("", "tr/", "ru/")}

    per_pass = indexes("per-pass")
    assert b'"location":"plain/"' in per_pass[""] and b'"location":"plain/"' not in per_pass["tr/"]
    monkeypatch.setattr(i18n, "hold_pass_search_entries", lambda config: None)
    monkeypatch.setattr(i18n, "take_pass_search_entries", lambda config, held: None)
    assert indexes("merged") == per_pass


def test_the_core_never_imports_mkdocs() -> None:
    """Only ``thinktank.mkdocs_plugin`` may import MkDocs: every other module is imported in a fresh interpreter."""
    package = Path(library.__file__).parent
    modules = sorted(".".join(("thinktank", *path.relative_to(package).with_suffix("").parts)).removesuffix(".__init__")
                     for path in package.rglob("*.py") if "mkdocs_plugin" not in path.parts)
    assert "thinktank.framing" in modules and "thinktank.markers" in modules and "thinktank.urls" in modules
    script = ("import importlib, sys\n"
              f"for name in {modules!r}: importlib.import_module(name)\n"
              "print(sorted({m.split('.')[0] for m in sys.modules} & {'mkdocs', 'mkdocs_static_i18n', 'material'}))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(package.parent)})
    assert result.stdout.strip() == "[]"


def test_a_mistyped_option_is_one_configuration_error_not_a_traceback(repo_copy: Path, quiet: None,
                                                                       caplog: pytest.LogCaptureFixture) -> None:
    config_file = repo_copy / "mkdocs.yml"
    text = config_file.read_text("utf-8")
    assert text.endswith("  - thinktank\n")
    config_file.write_text(text.replace("  - thinktank\n", "  - thinktank:\n      sections: [3]\n"), "utf-8")
    with pytest.raises(Abort):
        load_config(config_file=str(config_file))
    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert errors == ["Config value 'plugins': Plugin 'thinktank' option 'sections': "
                      "Expected type: <class 'str'> but received: <class 'int'>"]


def test_a_site_without_directory_urls_is_refused_in_one_line(repo_copy: Path, quiet: None) -> None:
    """The frame and listings are raw HTML with directory URLs (analyses/x/); with .html URLs every one of
    their links would be a 404, so the build stops at once rather than publishing them."""
    config_file = repo_copy / "mkdocs.yml"
    config_file.write_text(config_file.read_text("utf-8") + "use_directory_urls: false\n", "utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file), "-d",
                             str(repo_copy / "out")], capture_output=True, text=True,
                            env={**os.environ, "THINKTANK_PDF": "0"})
    assert result.returncode != 0
    assert "use_directory_urls: true" in result.stderr and "Traceback" not in result.stderr


def test_the_frame_survives_a_minifier_that_removes_html_comments(repo_copy: Path) -> None:
    """The fragments search must not read wait in the page as HTML comments until the plugin's first
    ``on_post_page``, which runs before every other plugin's: an HTML minifier (here a hook that removes
    comments, at the default priority) finds them already in place."""
    (repo_copy / "strip_comments.py").write_text(
        "import re\n\n\ndef on_post_page(output, page, config):\n"
        "    return re.sub(r'<!--.*?-->', '', output, flags=re.S)\n", encoding="utf-8")
    config_file = repo_copy / "mkdocs.yml"
    config_file.write_text(config_file.read_text("utf-8") + "hooks:\n  - strip_comments.py\n", "utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file), "-d",
                    str(repo_copy / "out")], check=True, capture_output=True,
                   env={**os.environ, "THINKTANK_PDF": "0", "NO_MKDOCS_2_WARNING": "1"})
    for prefix in ("", "tr/"):
        page = (repo_copy / "out" / prefix / "analyses" / "background-of-russia-north-korea-cooperation"
                / "index.html").read_text(encoding="utf-8")
        assert 'class="tt-author-box"' in page and 'class="tt-related"' in page and 'class="quote tt-cite"' in page
