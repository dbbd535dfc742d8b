"""Note definitions become structured citations; markers stay where they stood."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from thinktank.footnotes import marker_numbers, parse_citation, parse_date, parse_notes, to_markdown_refs
from thinktank.models import Citation


def test_citation_with_url_and_access_date() -> None:
    text = "“Arctic Sea Ice”, NSIDC, https://nsidc.example/arctic?x=1, (Access Date: 12.09.2024)."
    assert parse_citation(text) == Citation("Arctic Sea Ice", "NSIDC", "https://nsidc.example/arctic?x=1",
                                            dt.date(2024, 9, 12))


def test_citation_that_says_nothing_structured() -> None:
    assert parse_citation("Interview with a diplomat, Ankara.") == Citation()


def test_dates() -> None:
    assert parse_date("01.02.2024") == dt.date(2024, 2, 1)  # day first, as the dumps write it
    assert parse_date("2024-02-01") == dt.date(2024, 2, 1)
    assert parse_date("1 February 2024") == dt.date(2024, 2, 1)
    assert parse_date("February 1, 2024") == dt.date(2024, 2, 1)
    assert parse_date("31.02.2024") is None


def test_ibid_chains_resolve_to_the_first_real_source() -> None:
    notes, warnings = parse_notes([(1, "“A”, Pub, (Access Date: 01.02.2024)."), (2, "Ibid."), (3, "Ibid., p. 4.")], "x.txt")
    assert [note.ibid for note in notes] == [None, 1, 1]
    assert notes[2].citation == notes[0].citation and notes[2].text == "Ibid., p. 4."
    assert warnings == []


def test_ibid_without_earlier_note_warns() -> None:
    _, warnings = parse_notes([(1, "Ibid.")], "x.txt")
    assert warnings == ["x.txt: note [1] says Ibid. but no note precedes it"]


def test_links_and_bracketed_text_are_not_markers() -> None:
    assert marker_numbers("see [1] and [the report](https://x) and [2](https://y) and [3]") == [1, 3]


_words = st.text(alphabet=st.characters(whitelist_categories=("L", "Zs"), max_codepoint=0x4FF), max_size=20)


@given(st.lists(st.tuples(_words, st.integers(1, 999)), max_size=8), _words)
def test_marker_conversion_changes_only_the_markers(pieces: list[tuple[str, int]], tail: str) -> None:
    text = "".join(f"{words}[{number}]" for words, number in pieces) + tail
    converted = to_markdown_refs(text)
    assert converted == "".join(f"{words}[^{number}]" for words, number in pieces) + tail
    assert marker_numbers(text) == [number for _, number in pieces]


_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzçğışöüабвгд", min_size=3, max_size=9)
_paragraph = st.lists(_word, min_size=3, max_size=12).map(lambda words: " ".join(words).capitalize() + ".")


@given(st.lists(_paragraph, min_size=1, max_size=8))
def test_import_keeps_every_paragraph_and_note_in_place(paragraphs: list[str]) -> None:
    from pathlib import Path

    from thinktank.importers.generic import PROFILE
    from thinktank.importers.text import parse_text

    body = "\n\n".join(f"{text}[{number}]" for number, text in enumerate(paragraphs, start=1))
    notes = "\n\n".join(f"[{n}] “Source {n}”, Publisher {n}, (Access Date: 01.02.2024)." for n in range(1, len(paragraphs) + 1))
    article, _ = parse_text(f"A Title For The Test\n\nBy Jane Doe\n\n{body}\n\n{notes}\n", Path("t.txt"), PROFILE)
    assert article.body == [f"{text}[^{number}]" for number, text in enumerate(paragraphs, start=1)]
    assert [note.number for note in article.footnotes] == list(range(1, len(paragraphs) + 1))
    assert [note.citation.publisher for note in article.footnotes] == [f"Publisher {n}" for n in range(1, len(paragraphs) + 1)]
