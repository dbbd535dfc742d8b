"""One walker both ways: what is extracted is exactly what is put back."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from thinktank import frontmatter
from thinktank.engines.pseudo import pseudo_translate
from thinktank.placeholders import protect, restore
from thinktank.segments import body_segments, page_segments, substitute, substitute_meta

from .conftest import ROOT

PAGES = sorted((ROOT / "docs").rglob("*.md"))

SAMPLE = """# Title

Para with a note.[^1] And a [link](https://example.org "t").
Second line.

- item **one**
- item two
  wrapped

> quoted
> text

!!! note "Mind this"
    Admonition body.

| A | B |
|---|---|
| c1 | c2 \\| pipe |

```
code stays
```

<div markdown>html stays</div>

[^1]: “Cited”, Publisher, (Access Date: 01.02.2024).
"""


def test_kinds_and_texts() -> None:
    found = [(s.kind, s.text) for s in body_segments(SAMPLE)]
    assert found == [
        ("heading", "Title"),
        ("paragraph", 'Para with a note.[^1] And a [link](https://example.org "t").\nSecond line.'),
        ("list_item", "item **one**"), ("list_item", "item two\nwrapped"),
        ("quote", "quoted\ntext"),
        ("admonition_title", "Mind this"), ("admonition", "Admonition body."),
        ("table_cell", "A"), ("table_cell", "B"), ("table_cell", "c1"), ("table_cell", "c2 | pipe"),
        ("footnote", "“Cited”, Publisher, (Access Date: 01.02.2024)."),
    ]


def test_render_keeps_every_prefix_and_non_text_block() -> None:
    out = substitute(SAMPLE, lambda text: f"<{text}>")
    assert out.startswith("# <Title>\n")
    assert "- <item **one**>\n- <item two\n  wrapped>" in out
    assert "> <quoted\n> text>" in out
    assert '!!! note "<Mind this>"\n    <Admonition body.>' in out
    assert "| <c1> | <c2 \\| pipe> |" in out
    assert "```\ncode stays\n```" in out and "<div markdown>html stays</div>" in out
    assert "[^1]: <“Cited”" in out


def test_identity_round_trip_on_every_docs_page() -> None:
    for path in PAGES:
        meta, body = frontmatter.read(path)
        assert substitute(body, lambda text: text) == body, path
        assert substitute_meta(meta, lambda text: None) == meta


def test_meta_fields_are_segments_and_other_keys_are_not() -> None:
    meta = {"title": "T", "summary": "S", "authors": ["a"], "notes": [{"title": "Cited"}]}
    assert [(s.location, s.text) for s in page_segments(meta, "")] == [("title", "T"), ("summary", "S")]
    assert substitute_meta(meta, str.upper)["notes"] == [{"title": "Cited"}]


def _structure(markdown: str) -> list[str]:
    """What must survive translation: heading levels, list markers, note labels, link targets."""
    return (re.findall(r"^#+ ", markdown, re.M) + re.findall(r"^\s*(?:[-*]|\d+\.) ", markdown, re.M)
            + re.findall(r"\[\^\d+\]:?", markdown) + re.findall(r"\]\(([^)]+)\)", markdown))


def test_pseudo_translation_keeps_structure_of_every_page() -> None:
    def pseudo(text: str) -> str:
        shielded = protect(text)
        return restore(pseudo_translate(shielded.text), shielded)[0]

    for path in PAGES:
        _, body = frontmatter.read(path)
        assert _structure(substitute(body, pseudo)) == _structure(body), path


_word = st.text(alphabet=st.characters(whitelist_categories=("Ll", "Lu")), min_size=1, max_size=8)
_text = st.lists(_word, min_size=1, max_size=6).map(" ".join)


@given(st.lists(st.tuples(st.sampled_from(["para", "item", "heading", "quote"]), _text), min_size=1, max_size=6))
def test_any_document_round_trips_and_keeps_its_shape(blocks: list[tuple[str, str]]) -> None:
    prefix = {"para": "", "item": "- ", "heading": "## ", "quote": "> "}
    body = "\n\n".join(prefix[kind] + text for kind, text in blocks) + "\n"
    assert substitute(body, lambda text: text) == body
    swapped = substitute(body, lambda text: text[::-1])
    prefixes = [re.match(r"(#+ |- |> )?", line).group(0) for line in body.split("\n")]
    assert [re.match(r"(#+ |- |> )?", line).group(0) for line in swapped.split("\n")] == prefixes
    assert [s.text[::-1] for s in body_segments(body)] == [s.text for s in body_segments(swapped)]


# Markdown as editors and importers write it, block by block: the shapes that once lost structure
# (closed ATX headings, empty table cells, tab-indented lists, admonitions without a title).
_words = st.lists(_word, min_size=1, max_size=5).map(" ".join)
_inline = st.one_of(_words, _words.map(lambda w: f"**{w}**"), _words.map(lambda w: f"[{w}](https://example.org/{len(w)})"),
                    _words.map(lambda w: f"{w}[^1]"))
_line = st.lists(_inline, min_size=1, max_size=3).map(" ".join)
_cell = st.one_of(st.just(""), _words)


def _table(rows: list[list[str]], piped: bool) -> str:
    width = len(rows[0])
    rows = [(row + [""] * width)[:width] for row in rows]
    header = rows[0][:]
    header[0] = header[0] or "H"
    lines = [header, ["---"] * width, *rows[1:]]
    if piped:
        return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)
    return "\n".join(" | ".join(cells) for cells in lines)


_BLOCK = st.one_of(
    _line,
    st.lists(_line, min_size=2, max_size=3).map("\n".join),
    st.tuples(st.integers(1, 4), _words, st.booleans()).map(lambda t: f"{'#' * t[0]} {t[1]}" + (f" {'#' * t[0]}" if t[2] else "")),
    st.tuples(_words, st.sampled_from(["=", "-"])).map(lambda t: f"{t[0]}\n{t[1] * 3}"),
    st.tuples(st.sampled_from(["- ", "* ", "-\t", "1. ", "1.\t"]), st.lists(_line, min_size=1, max_size=3))
    .map(lambda t: "\n".join(t[0] + item for item in t[1])),
    st.lists(_line, min_size=1, max_size=2).map(lambda lines: "\n".join("> " + line for line in lines)),
    st.tuples(st.lists(st.lists(_cell, min_size=2, max_size=3), min_size=2, max_size=4), st.booleans())
    .map(lambda t: _table(*t)),
    st.tuples(st.sampled_from(["note", "warning", "tip"]), st.one_of(st.none(), _words), _line)
    .map(lambda t: f"!!! {t[0]}" + (f' "{t[1]}"' if t[1] else "") + f"\n    {t[2]}"),
    st.just("```\ncode [^1] **stays**\n```"),
    st.just("<!-- thinktank:latest -->"),
)


@given(st.lists(_BLOCK, min_size=1, max_size=6), st.booleans())
def test_generated_markdown_round_trips_and_keeps_every_block(blocks: list[str], with_note: bool) -> None:
    body = "\n\n".join(blocks) + ("\n\n[^1]: A note\n    that continues." if with_note else "") + "\n"
    assert substitute(body, lambda text: text) == body, "rendering each segment as itself changed the page"
    marked = substitute(body, lambda text: f"ÇEVİRİ {text}")
    before, after = body_segments(body), body_segments(marked)
    assert [s.kind for s in after] == [s.kind for s in before], "a block changed kind"
    assert [s.text for s in after] == [f"ÇEVİRİ {s.text}" for s in before]


def test_the_excerpt_comes_from_the_first_plain_paragraph_so_its_translation_is_found(tmp_path) -> None:
    """An article opening with a heading or a quote once kept an English excerpt on /tr/."""
    import polib

    from thinktank.library import load_library
    from thinktank.localize import Localizer

    docs = tmp_path / "docs"
    (docs / "analyses").mkdir(parents=True)
    (docs / "analyses" / "a.md").write_text("---\ntitle: A\nauthors: []\n---\n\n## Context\n\n> “A quote.”\n\n"
                                            "The first paragraph[^1] of the text.\n\n[^1]: A note.\n", encoding="utf-8")
    cat = polib.POFile(wrapwidth=0)
    cat.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    cat.append(polib.POEntry(msgid="The first paragraph[^1] of the text.", msgstr="Metnin ilk paragrafı.[^1]"))
    (tmp_path / "translations" / "tr" / "analyses").mkdir(parents=True)
    cat.save(str(tmp_path / "translations" / "tr" / "analyses" / "a.po"))
    english = load_library(docs, ["analyses"])
    assert english.articles[0].excerpt == "The first paragraph of the text."
    assert Localizer(tmp_path / "translations", "tr").library(english).articles[0].excerpt == "Metnin ilk paragrafı."


def test_reading_time_counts_running_text_not_notes_or_link_targets() -> None:
    from thinktank.segments import reading_minutes

    words = " ".join(["word"] * 400)
    assert reading_minutes(f"{words} [link](https://example.org/a/b/c/d)\n\n[^1]: " + " ".join(["note"] * 2000)) == 2
