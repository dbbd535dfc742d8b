"""URL arithmetic of the built site, without building it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thinktank import urls


@pytest.mark.parametrize(("src", "uri"), [
    ("analyses/x.tr.md", "analyses/x.md"),
    ("index.ru.md", "index.md"),
    ("analyses/x.md", "analyses/x.md"),
    ("index.md", "index.md"),
    ("a.bc/page.md", "a.bc/page.md"),  # a dot in a folder is no language suffix
    ("analyses/v1.2.md", "analyses/v1.2.md"),  # one character after the dot: not a language
    ("notes.draft.md", "notes.draft.md"),  # five letters: not a language
])
def test_source_uri_strips_only_a_two_letter_language_suffix(src: str, uri: str) -> None:
    assert urls.source_uri(src) == uri


@pytest.mark.parametrize(("uri", "path"), [
    ("analyses/x.md", "analyses/x/"),
    ("index.md", ""),
    ("analyses/index.md", "analyses/"),
    ("topics.md", "topics/"),
    ("authors/reindex.md", "authors/reindex/"),  # ends in "index" but is not an index page
])
def test_page_path_is_the_directory_url(uri: str, path: str) -> None:
    assert urls.page_path(uri) == path


@pytest.mark.parametrize(("page_url", "lang", "original"), [
    ("tr/analyses/x/", "tr", "../../../analyses/x/"),
    ("tr/", "tr", "../"),
    ("ru/authors/", "ru", "../../authors/"),
    ("", "tr", "./"),
])
def test_original_url_climbs_to_the_root_then_into_the_default_language(page_url: str, lang: str,
                                                                         original: str) -> None:
    assert urls.original_url(page_url, lang) == original


def test_language_root_and_prefix() -> None:
    assert urls.language_prefix("en") == "" and urls.language_prefix("tr") == "tr/"
    assert urls.language_root("https://example.org", "ru") == "https://example.org/ru/"
    assert urls.language_root("https://example.org/sub/", "en") == "https://example.org/sub/"
    assert urls.language_root(None, "tr") == "/tr/"


PAGES = st.lists(st.sampled_from(["analyses", "authors", "page", "2", "a-b", "index"]), min_size=0, max_size=3).map(
    lambda parts: "/".join(parts + ["x.md"]) if not parts or parts[-1] != "index" else "/".join(parts) + ".md")


@given(PAGES, PAGES)
def test_a_fragments_link_is_the_one_mkdocs_writes_for_a_md_link(here: str, there: str) -> None:
    """The frame and listings are raw HTML (Python-Markdown leaves their links alone), so the link they
    carry must be MkDocs' own for the same ``.md`` link with directory URLs."""
    from mkdocs.structure.files import File
    from mkdocs.utils import get_relative_url

    def url(uri: str) -> str:
        return File(uri, "docs", "site", use_directory_urls=True).url

    expected = get_relative_url(url(there), url(here))
    expected = expected if expected.endswith("/") else expected + "/"  # ./ for the page itself
    assert urls.relative_url(here, there) == expected


@pytest.mark.parametrize(("here", "there", "link"), [
    ("analyses/x.md", "authors/z.md", "../../authors/z/"),
    ("index.md", "analyses/x.md", "analyses/x/"),
    ("analyses/x.md", "index.md", "../../"),
    ("analyses/page/2.md", "analyses/index.md", "../../"),
    ("analyses/index.md", "analyses/page/2.md", "page/2/"),
    ("topics.md", "topics.md", "./"),
])
def test_relative_url_between_two_pages(here: str, there: str, link: str) -> None:
    assert urls.relative_url(here, there) == link
