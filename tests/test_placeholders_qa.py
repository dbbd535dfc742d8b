"""Markup is shielded one token per occurrence and comes back; QA names what did not."""

from __future__ import annotations

import pytest

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
    found = qa.check(source, "[b](https://b.org) dedi.")
    assert [(p.check, p.severity, p.message) for p in found] == [
        ("refs", qa.Severity.CRITICAL, "missing footnote ref [^2]"),
        ("links", qa.Severity.CRITICAL, "missing link target https://a.org"),
        ("numbers", qa.Severity.FUNCTIONAL, "missing number 2024")]
    terms = {"Kim Jong Un": "Ким Чен Ын"}
    assert qa.check_glossary("Kim Jong Un spoke.", "Ким Чен Ына слова", terms) == []  # case ending allowed
    assert qa.check_glossary("Kim Jong Un spoke.", "Лидер КНДР", terms) == ["glossary: 'Kim Jong Un' should read 'Ким Чен Ын'"]


SOURCE = "First paragraph with **bold**, <b>markup</b> and a note.[^1]"


@pytest.mark.parametrize(("translation", "problem"), [
    ("Birinci.[^1]\n\n# Injected heading", "adds heading '# Injected heading' not in the source"),
    ("Birinci.[^1]\n\n---\n\nMore", "adds thematic break '---' not in the source"),
    ("Birinci.[^1]\n---", "adds heading underline '---' not in the source"),
    ("Birinci.[^1]\n===", "adds heading underline '===' not in the source"),
    ("Birinci.[^1] Ek.[^99]", "adds footnote ref [^99] not in the source"),
    ("Birinci.[^1]\n\n[^99]: Injected note.", "adds footnote definition '[^99]: Injected note.' not in the source"),
    ("Birinci.[^1]\n- item", "adds list item '- item' not in the source"),
    ("Birinci.[^1]\n1. item", "adds list item '1. item' not in the source"),
    ("Birinci.[^1]\n> quote", "adds quote '> quote' not in the source"),
    ("Birinci.[^1]\n\n| a | b |\n|---|---|", "adds table row '| a | b |' not in the source"),
    ("Birinci.[^1]\n\n<div>block</div>", "adds HTML block '<div>block</div>' not in the source"),
    ("Birinci <script>alert(1)</script>.[^1]", "adds raw HTML <script> not in the source"),
    ("Birinci <img src=x onerror=alert(1)>.[^1]", "adds raw HTML <img> not in the source"),
    ("Birinci.[^1] <!-- thinktank:articles -->", "adds listing marker '<!-- thinktank:articles -->'"),
    ("Birinci.[^1]\n\n[x]: https://evil.example/", "adds link definition '[x]: https://evil.example/' not in the source"),
    ("Birinci.[^1]\n```", "adds code fence '```' not in the source"),
    ('Birinci.[^1]\n{: onclick="alert(1)" }', "adds attribute list '{: onclick=\"alert(1)\" }' not in the source"),
])
def test_qa_names_structure_the_source_lacks(translation: str, problem: str) -> None:
    assert qa.Problem("structure", qa.Severity.CRITICAL, problem) in qa.check(SOURCE, translation)
    assert problem in qa.check_structure(SOURCE, translation)


def test_qa_accepts_structure_the_source_has() -> None:
    assert qa.check(SOURCE, "Birinci **kalın**, <b>işaret</b> ve bir not.[^1]") == []
    source = "## Heading\n\n- item\n> quote <!-- thinktank:latest -->"
    assert qa.check_structure(source, "## Başlık\n\n- öğe\n> alıntı <!-- thinktank:latest -->") == []
    assert qa.check_structure("Plain text, 3 items.", "Düz metin: 3 öğe - ve dahası.") == []


def test_a_qa_comment_read_back_finds_its_check_and_severity() -> None:
    """The same ``qa:`` lines as always on disk, typed again when read."""
    for problem in qa.check("In 2024 [a](https://a.org) said so.[^2]", "## [b](https://b.org)", {"said": "dedi"}):
        assert qa.problem_from_message(problem.message) == problem
    assert qa.problem_from_message("engine lost markup: '[^3]'").severity is qa.Severity.CRITICAL
    assert qa.problem_from_message("something another tool wrote").check == "unknown"


def test_qa_sees_a_link_or_emphasis_pair_the_engine_turned_inside_out() -> None:
    """Every token came back, in the wrong order: ``](url)text[`` is no link, ``**this **`` no emphasis."""
    source = "See [the report](https://example.org/r) and **this** `code`."
    found = qa.check(source, "See ](https://example.org/r)the report[ and **this ** `code`.")
    assert [(p.check, p.severity) for p in found] == [("inline", qa.Severity.CRITICAL)]
    assert found[0].message == "broken markup: link, strong no longer formed"
    assert qa.check(source, "Bak [rapor](https://example.org/r) ve **bu** `code`.") == []
    assert qa.problem_from_message(found[0].message) == found[0]
