"""Topic pages' addresses, without a site build (the pages themselves: tests/test_pagination.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from thinktank import topics
from thinktank.slugs import slugify


def test_a_topics_address_is_its_slug_and_unique() -> None:
    found = topics.topic_uris(["Russia", "russia!", "???", "Кавказ", "Türkiye"], taken=["topics/topic.md"])
    assert found == {"Russia": "topics/russia.md", "russia!": "topics/russia-2.md", "???": "topics/topic-2.md",
                     "Кавказ": "topics/kavkaz.md", "Türkiye": "topics/turkiye.md"}


@given(st.lists(st.text(max_size=12), unique=True, max_size=20), st.lists(st.sampled_from(
    ["topics/a.md", "topics/topic.md", "topics/a-2.md", "topics/b.md"]), max_size=4))
def test_every_tag_gets_an_address_of_its_own_and_no_page_of_docs_is_taken(tags: list[str], taken: list[str]) -> None:
    found = topics.topic_uris(tags, taken=taken)
    assert list(found) == tags
    assert len(set(found.values())) == len(tags) and not set(found.values()) & set(taken)
    for uri in found.values():
        stem = uri.removeprefix("topics/").removesuffix(".md")
        assert stem and stem == slugify(stem) and "/" not in stem
