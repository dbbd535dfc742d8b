"""The files the plugin writes beside MkDocs' pages (feeds, split search index), built without a site build."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from xml.etree import ElementTree as ET

from thinktank import feeds, search_index
from thinktank import library as library_mod

ROOT = Path(__file__).resolve().parent.parent
INDEX = Path(__file__).parent / "site" / "merged_search_index.json"
"""What mkdocs-static-i18n leaves in search/search_index.json: every language in one index."""


def test_a_language_feed_links_into_its_own_language_root() -> None:
    library = library_mod.load_library(ROOT / "docs", ["analyses"])
    channel = ET.fromstring(feeds.language_feed(library, site_name="Avrasya", site_url="https://example.org",
                                                lang="tr")).find("channel")
    assert channel is not None
    assert channel.findtext("link") == "https://example.org/tr/"
    assert channel.findtext("title") == "Avrasya" and channel.findtext("language") == "tr"
    assert channel.findtext("description") == "Avrasya son analizleri, Türkçe."
    links = [item.findtext("link") for item in channel.iter("item")]
    assert links == [f"https://example.org/tr/{entry.uri.removesuffix('.md')}/" for entry in library.articles]


def test_the_default_language_feed_is_at_the_root() -> None:
    library = library_mod.load_library(ROOT / "docs", ["analyses"])
    channel = ET.fromstring(feeds.language_feed(library, site_name="S", site_url=None, lang="en")).find("channel")
    assert channel is not None and channel.findtext("link") == "/"
    assert all((item.findtext("link") or "").startswith("/analyses/") for item in channel.iter("item"))


def test_the_merged_search_index_becomes_one_file_per_language() -> None:
    files = search_index.split_files(INDEX.read_text(encoding="utf-8"), ["en", "tr", "ru"], "en")
    assert sorted(files) == ["ru/search/search_index.json", "search/search_index.json", "tr/search/search_index.json"]
    tr = json.loads(files["tr/search/search_index.json"])
    assert tr["config"]["lang"] == ["tr"]
    assert [doc["location"] for doc in tr["docs"]] == ["", "analyses/x/"]
    english = json.loads(files["search/search_index.json"])
    assert [doc["location"] for doc in english["docs"]] == ["", "analyses/x/#notes"]
    assert "Статья" in files["ru/search/search_index.json"]  # written as UTF-8 text, not \\u escapes


_LOCATIONS = st.sampled_from(["", "about/", "tr/", "tr/about/", "ru/analyses/x/#a", "de/x/", "trx/", "ru"])
_ENTRIES = st.lists(st.fixed_dictionaries(
    {"location": _LOCATIONS, "title": st.text(max_size=8), "text": st.text(max_size=20)},
    optional={"tags": st.lists(st.text(max_size=5), max_size=2).map(tuple), "boost": st.integers(0, 3),
              "date": st.dates()}), max_size=12)


@given(_ENTRIES)
def test_the_index_split_from_the_plugins_entries_is_the_split_of_its_file(entries: list[dict]) -> None:
    """The build splits the merged index from the entries Material's search holds (reading its 35 MB file back
    was the build's peak of memory); the files must be those the split of that file would write."""

    config = {"lang": ["en", "tr", "ru"], "separator": "[\\s\\-]+", "fields": {"title": {"boost": 1000.0}}}
    merged = json.dumps({"config": config, "docs": entries}, separators=(",", ":"), default=str)  # as Material writes
    from_entries = dict(search_index.split_entries(config, entries, ["en", "tr", "ru"], "en"))
    assert from_entries == search_index.split_files(merged, ["en", "tr", "ru"], "en")
