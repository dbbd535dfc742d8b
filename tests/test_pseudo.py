"""The pseudo engine honours its target and moves markup; the draft pipeline must not care about order."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from thinktank.engines.pseudo import PseudoEngine, pseudo_translate, reorder
from thinktank.glossary import Glossary
from thinktank.localize import Localizer
from thinktank.placeholders import protect, restore
from thinktank.qa import check
from thinktank.translation import machine_drafts, translate

_REF = re.compile(r"\[\^[^\]\s]+\]")
_LATIN = re.compile(r"[A-Za-z]")
TWO_NOTES = "Pyongyang sent shells.[^1] Moscow sent **oil and** [wheat](https://example.org/wheat).[^2]"


def _inline(markdown: str) -> Counter[str]:
    """The inline markup a reader sees: links with their targets, emphasis, code."""
    found: Counter[str] = Counter()
    for block in MarkdownIt("commonmark").parse(markdown):
        for token in block.children or []:
            if token.type in ("link_open", "strong_open", "em_open", "code_inline"):
                found[token.type + (f" {token.attrs['href']}" if token.type == "link_open" else "")] += 1
    return found


def _pseudo_draft(text: str, target: str = "tr") -> str:
    shielded = protect(text)
    return restore(pseudo_translate(shielded.text, target), shielded)[0]


def test_each_target_gets_its_own_letters() -> None:
    tr, ru, other = (pseudo_translate("Sergei is visiting Pyongyang", lang) for lang in ("tr", "ru", "de"))
    assert len({tr, ru, other}) == 3
    assert "ı" in tr and "ş" in tr and "ğ" in tr
    assert not _LATIN.search(ru), "Russian drafts are Cyrillic outside the tokens"
    assert PseudoEngine().model("tr") != PseudoEngine().model("ru")


def test_tokens_keep_their_text_in_every_target() -> None:
    for lang in ("tr", "ru"):
        out = pseudo_translate("See ⟦1⟧ and ⟦ 2 ⟧, then ⟦10⟧.", lang)
        assert sorted(re.findall(r"⟦\s*\d+\s*⟧", out)) == sorted(["⟦1⟧", "⟦ 2 ⟧", "⟦10⟧"]), "tokens untouched"
        assert re.findall(r"⟦\s*\d+\s*⟧", out) == ["⟦10⟧", "⟦1⟧", "⟦ 2 ⟧"], "the clauses rotated"


def test_sentences_rotate_so_note_refs_come_back_in_another_order() -> None:
    assert reorder("One.⟦1⟧ Two.⟦2⟧ Three.") == "Two.⟦2⟧ Three. One.⟦1⟧"
    assert reorder("First, ⟦1⟧then⟦2⟧ second.") == "⟦1⟧then⟦2⟧ second. First,", "one sentence: its clauses rotate"
    assert reorder("⟦1⟧North, South⟦2⟧ and more.") == "⟦1⟧North, South⟦2⟧ and more.", "never cut inside a pair"
    draft = _pseudo_draft(TWO_NOTES)
    assert draft.index("[^2]") < draft.index("[^1]")


def test_the_draft_pipeline_restores_and_checks_reordered_markup() -> None:
    """protect → engine → restore → QA on a draft whose tokens came back in another order."""
    drafts = machine_drafts([TWO_NOTES], "ru", PseudoEngine(), Glossary())
    draft = drafts[TWO_NOTES]
    assert draft.text.index("[^2]") < draft.text.index("[^1]"), "the engine reordered the refs"
    assert draft.problems == (), "nothing is missing, so QA must not flag anything"
    assert _inline(draft.text) == _inline(TWO_NOTES)
    assert check(TWO_NOTES, draft.text) == []


def test_a_page_whose_refs_were_reordered_renders_every_note(tmp_path: Path) -> None:
    docs, translations = tmp_path / "docs", tmp_path / "translations"
    (docs / "analyses").mkdir(parents=True)
    body = f"{TWO_NOTES}\n\n[^1]: A first note.\n[^2]: A second note.\n"
    (docs / "analyses" / "notes.md").write_text(f"---\ntitle: Notes\n---\n\n{body}", encoding="utf-8")
    translate(docs, translations, ["tr"], PseudoEngine())
    page = Localizer(translations, "tr").page("analyses/notes.md", {"title": "Notes"}, body)
    paragraph = page.markdown.split("\n\n")[0]
    assert paragraph.index("[^2]") < paragraph.index("[^1]")
    tokens = MarkdownIt("commonmark").use(__import__("mdit_py_plugins.footnote", fromlist=["x"]).footnote_plugin) \
        .parse(page.markdown)
    refs = [child.meta["label"] for token in tokens for child in token.children or [] if child.type == "footnote_ref"]
    defined = [token.meta["label"] for token in tokens if token.type == "footnote_open"]
    assert sorted(refs) == sorted(defined) == ["1", "2"]


_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=7)
_words = st.lists(_word, min_size=1, max_size=3).map(" ".join)
_piece = st.one_of(
    _words,
    _words.map(lambda w: f"**{w}**"),
    _words.map(lambda w: f"*{w}*"),
    st.tuples(_words, st.integers(1, 99)).map(lambda t: f"[{t[0]}](https://example.org/{t[1]})"),
    _words.map(lambda w: f"`{w}`"),
)
_clause = st.tuples(st.lists(_piece, min_size=1, max_size=3).map(" ".join), st.sampled_from(["", ","]))
_sentence = st.tuples(st.lists(_clause, min_size=1, max_size=3), st.sampled_from([".", "!", "?"]),
                      st.one_of(st.none(), st.integers(1, 30)))


def _render(sentences: list[tuple[list[tuple[str, str]], str, int | None]]) -> str:
    out = []
    for clauses, end, note in sentences:
        text = " ".join(words + comma for words, comma in clauses).rstrip(",")
        out.append(text[0].upper() + text[1:] + end + (f"[^{note}]" if note else ""))
    return " ".join(out)


@settings(max_examples=200, deadline=None)
@given(st.lists(_sentence, min_size=1, max_size=4), st.sampled_from(["tr", "ru"]))
def test_reordering_never_breaks_markup_and_never_loses_a_ref(sentences: list, target: str) -> None:
    source = _render(sentences)
    drafts = machine_drafts([source], target, PseudoEngine(), Glossary())
    draft = drafts[source].text
    assert _inline(draft) == _inline(source), (source, draft)
    assert Counter(_REF.findall(draft)) == Counter(_REF.findall(source))
    assert drafts[source].problems == (), (source, draft)
    refs = _REF.findall(source)
    if len(sentences) > 1 and len(set(refs)) == len(refs) > 1 and refs[0] == f"[^{sentences[0][2]}]":
        assert _REF.findall(draft) != refs, "the first sentence's ref moved behind the others"
