"""Issue 12, build scale: what a page asks of the library costs no scan of the library, and the
reading time and heading anchors of a translated page come from its one substitution parse, with the
same results as parsing the page again."""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thinktank import catalog, frontmatter, segments
from thinktank.library import ArticleEntry, Library
from thinktank.localize import Localizer

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).parent / "i18n"


class CountedTags(tuple):
    """A tags tuple that counts how often it is iterated: a scan of the library iterates every article's."""

    iterations = 0

    def __iter__(self):  # type: ignore[override]
        CountedTags.iterations += 1
        return super().__iter__()


def _library(count: int, seed: int = 3) -> Library:
    rng = random.Random(seed)
    topics = [f"t{n}" for n in range(12)]
    return Library(articles=[ArticleEntry(uri=f"a/{n}.md", title=str(n), authors=(f"p{n % 3}",),
                                          tags=CountedTags(rng.sample(topics, rng.randint(0, 3))))
                             for n in range(count)])


def _related_by_scan(library: Library, entry: ArticleEntry, limit: int = 3) -> list[ArticleEntry]:
    """The definition: other articles by tags shared, most first, ties in listing order."""
    scored = [(len(set(entry.tags) & set(other.tags)), index, other)
              for index, other in enumerate(library.articles) if other.uri != entry.uri]
    return [other for shared, _, other in sorted(scored, key=lambda item: (-item[0], item[1])) if shared][:limit]


def test_related_article_and_by_author_answer_as_a_scan_would() -> None:
    library = _library(300)
    for entry in library.articles:
        assert library.related(entry) == _related_by_scan(library, entry)
        assert library.article(entry.uri) is entry
    for author in ("p0", "p1", "p2", "nobody"):
        assert library.by_author(author) == [e for e in library.articles if author in e.authors]
    assert library.article("a/none.md") is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from("abcdefgh"), max_size=7), max_size=40), st.integers(1, 6))
def test_related_articles_are_those_a_scan_finds_for_any_tags_and_limit(tag_lists: list[list[str]], limit: int) -> None:
    """Many tags (counted, not intersected), repeated tags, no tags, ties: always the scan's answer."""
    library = Library(articles=[ArticleEntry(uri=f"a/{n}.md", title=str(n), authors=(), tags=tuple(tags))
                                for n, tags in enumerate(tag_lists)])
    for entry in library.articles:
        assert library.related(entry, limit) == _related_by_scan(library, entry, limit)
        assert library.related(entry, limit) == _related_by_scan(library, entry, limit)  # remembered


def test_a_translation_ranks_related_articles_by_the_english_tags() -> None:
    """Two English topics one Turkish term stands for are still two topics; the entries are the translation's."""
    english = _library(120)
    merged = {"t1": "ortak", "t2": "ortak"}
    turkish = Library(articles=[replace(entry, title=f"tr {entry.title}", tags=tuple(merged.get(t, t) for t in entry.tags))
                                for entry in english.articles], ranked_by=english)
    for mine, source in zip(turkish.articles, english.articles, strict=True):
        assert [e.uri for e in turkish.related(mine)] == [e.uri for e in _related_by_scan(english, source)]
        assert all(e.title.startswith("tr ") for e in turkish.related(mine))


def test_every_page_asking_for_related_articles_costs_no_scan_of_the_library() -> None:
    library = _library(400)
    library.related(library.articles[0])  # the index is built once
    CountedTags.iterations = 0
    for entry in library.articles:
        library.related(entry)
        library.article(entry.uri)
    # A scan reads all 400 articles' tags for each of the 400 (160,000); the index, only the asker's.
    assert CountedTags.iterations <= len(library.articles)


def test_the_index_follows_a_new_list_of_articles_and_the_list_cannot_change_in_place() -> None:
    library = _library(20)
    first = library.articles[0]
    assert library.article(first.uri) is first
    with pytest.raises(TypeError):
        library.articles[0] = first  # type: ignore[index]
    library.articles = [changed := replace(first, title="changed"), *library.articles[1:]]
    assert isinstance(library.articles, tuple) and library.article(first.uri) is changed
    library.articles = [*library.articles, extra := replace(first, uri="a/extra.md", tags=("t1",))]
    assert library.article("a/extra.md") is extra
    assert library.related(extra) == _related_by_scan(library, extra)


@pytest.mark.parametrize("stem", ["closed-headings", "footnotes", "admonitions"])
def test_reading_time_and_headings_of_a_translated_page_equal_a_parse_of_it(stem: str, tmp_path: Path) -> None:
    translations = tmp_path / "translations"
    target = catalog.catalog_path(translations, "tr", f"{stem}.md")
    target.parent.mkdir(parents=True)
    shutil.copy(CASES / f"{stem}.po", target)
    meta, body = frontmatter.read(CASES / f"{stem}.md")
    page = Localizer(translations, "tr").page(f"{stem}.md", meta, body)
    assert page.minutes == segments.reading_minutes(page.markdown)
    shown = [s.text for s in segments.body_segments(page.markdown) if s.kind == "heading"]
    source = [s.text for s in segments.body_segments(body) if s.kind == "heading"]
    assert page.headings == list(zip(source, shown, strict=True))
    assert any(a != b for a, b in page.headings) or not page.headings


def test_an_article_entry_carries_its_reading_time_from_the_library_parse() -> None:
    from thinktank.library import load_library

    library = load_library(ROOT / "docs", ["analyses"])
    for entry in library.articles:
        _, body = frontmatter.read(ROOT / "docs" / entry.uri)
        assert entry.minutes == segments.reading_minutes(body)
        assert entry.first_paragraph == segments.first_paragraph(body)
