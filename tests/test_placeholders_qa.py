"""Markup is shielded one token per occurrence and comes back; QA names what did not."""

from __future__ import annotations

from thinktank import qa
from thinktank.placeholders import protect, restore


def test_one_token_per_occurrence_and_full_restore() -> None:
    text = "See [^1] and [^1] again, [the report](https://x.org/a) and `code` <b>bold</b> **strong**."
    shielded = protect(text)
    assert shielded.text.count("⟦") == len(shielded.tokens) == 9
    assert "https://x.org" not in shielded.text and "[^1]" not in shielded.text
    restored, problems = restore(shielded.text, shielded)
    assert restored == text and problems == []


def test_lost_footnote_refs_are_appended_and_reported() -> None:
    shielded = protect("Claim.[^3] Other claim.[^4]")
    restored, problems = restore("Iddia. Diger iddia.", shielded)
    assert restored == "Iddia. Diger iddia.[^3][^4]"
    assert problems == ["engine lost markup: '[^3]', '[^4]'"]


def test_glossary_terms_restore_to_target_form() -> None:
    shielded = protect("Kim Jong Un met Putin.", {"Kim Jong Un": "Ким Чен Ын"})
    assert "Kim Jong Un" not in shielded.text
    assert restore(shielded.text.replace("met Putin", "встретил Путина"), shielded)[0] == "Ким Чен Ын встретил Путина."


def test_qa_checks() -> None:
    source = "In 2024 [a](https://a.org) said so.[^2]"
    assert qa.check(source, "2024 [b](https://a.org) dedi.[^2]") == []
    assert qa.check(source, "[b](https://b.org) dedi.") == [
        "missing footnote ref [^2]", "missing link target https://a.org", "missing number 2024"]
    terms = {"Kim Jong Un": "Ким Чен Ын"}
    assert qa.check_glossary("Kim Jong Un spoke.", "Ким Чен Ына слова", terms) == []  # case ending allowed
    assert qa.check_glossary("Kim Jong Un spoke.", "Лидер КНДР", terms) == ["glossary: 'Kim Jong Un' should read 'Ким Чен Ын'"]
