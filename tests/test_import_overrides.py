"""``--title``, ``--author``, ``--date``, ``--category`` beat what an importer found, for every format."""

from __future__ import annotations

from pathlib import Path

import pytest

from thinktank import frontmatter

from .conftest import ROOT
from .test_import_html_docx import _docx

OVERRIDES = ("--title", "The Editor's Title", "--author", "Zeynep Arslan", "--author", "John O'Neill, PhD",
             "--date", "2025-02-03", "--category", "Commentary")


def _text(tmp_path: Path) -> Path:
    return ROOT / "tests" / "cases" / "generic-author-box.txt"


def _html(tmp_path: Path) -> Path:
    return ROOT / "tests" / "html" / "text-markers-author-box.html"


def _word(tmp_path: Path) -> Path:
    return _docx(tmp_path)


@pytest.mark.parametrize("source", [_text, _html, _word], ids=["text", "html", "docx"])
def test_overrides_beat_what_was_found(source, tmp_path: Path, run_cli) -> None:
    docs = tmp_path / "docs"
    result = run_cli("import", source(tmp_path), *OVERRIDES, "--docs-dir", docs)
    assert result.code == 0, result.err
    meta, _ = frontmatter.read(docs / "analyses" / "the-editors-title.md")
    assert meta["title"] == "The Editor's Title"
    assert meta["authors"] == ["zeynep-arslan", "john-oneill"]
    assert str(meta["date"]) == "2025-02-03"
    assert meta["categories"] == ["Commentary"]
    names = {path.name: frontmatter.read(path)[0]["title"] for path in (docs / "authors").glob("*.md")}
    assert names == {"zeynep-arslan.md": "Zeynep Arslan", "john-oneill.md": "John O'Neill, PhD"}
    assert "no publication date" not in result.err


def test_an_author_the_importer_also_found_keeps_the_bio(tmp_path: Path, run_cli) -> None:
    """Naming the detected author (to fix the order or add a co-author) must not drop the bio it came with."""
    docs = tmp_path / "docs"
    plain = run_cli("import", _text(tmp_path), "--docs-dir", tmp_path / "first")
    assert plain.code == 0, plain.err
    [entry] = (tmp_path / "first" / "authors").glob("*.md")
    name = frontmatter.read(entry)[0]["title"]
    bio = frontmatter.read(entry)[1]
    assert bio.strip()
    result = run_cli("import", _text(tmp_path), "--author", "Zeynep Arslan", "--author", name, "--docs-dir", docs)
    assert result.code == 0, result.err
    assert frontmatter.read(docs / "authors" / entry.name)[1] == bio
    assert frontmatter.read(docs / "authors" / "zeynep-arslan.md")[1].strip() == ""


def test_title_override_names_one_file(tmp_path: Path, run_cli) -> None:
    result = run_cli("import", _text(tmp_path), _html(tmp_path), "--title", "One Title", "--docs-dir", tmp_path / "d")
    assert result.code == 2 and "--title names one article" in result.err
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize("flag, value", [("--title", "···"), ("--author", "…")])
def test_unusable_override_is_one_line(flag: str, value: str, tmp_path: Path, run_cli) -> None:
    result = run_cli("import", _text(tmp_path), flag, value, "--docs-dir", tmp_path / "d")
    assert result.code == 1 and result.err.count("\n") == 1 and flag in result.err
    assert not (tmp_path / "d").exists()


def test_an_author_override_reads_as_typed_guesses_nothing_and_leaves_no_stale_warning(tmp_path: Path,
                                                                                      run_cli) -> None:
    """The editor's spelling wins even for an author the importer found (honorific kept, bio kept); a name
    only the editor gave gets no affiliation; warnings speak of the authors the article ends up with."""
    docs = tmp_path / "docs"
    plain = run_cli("import", _text(tmp_path), "--docs-dir", tmp_path / "first")
    [entry] = (tmp_path / "first" / "authors").glob("*.md")
    found = frontmatter.read(entry)[0]["title"]
    result = run_cli("import", _text(tmp_path), "--author", f"Dr. {found}", "--author", "Jan Nowak",
                     "--docs-dir", docs)
    assert plain.code == 0 and result.code == 0, result.err
    meta, bio = frontmatter.read(docs / "authors" / entry.name)
    assert meta["title"] == f"Dr. {found}" and bio.strip()
    assert frontmatter.read(docs / "authors" / "jan-nowak.md")[0] == {"title": "Jan Nowak"}
    assert "no biography for Jan Nowak;" in result.err and found not in result.err.split("no biography for")[1]


def test_a_text_not_in_the_source_language_is_imported_with_a_warning_saying_what_follows(tmp_path: Path,
                                                                                         run_cli) -> None:
    dump = tmp_path / "turkce.txt"
    dump.write_text("Güney Kafkasya'da Yeni Ulaştırma Koridorları\n\nBölgede yeni demiryolu hatları ve limanlar "
                    "açılıyor; bu gelişme Türkiye ile Orta Asya arasındaki ticareti ve enerji akışını "
                    "değiştiriyor.\n", encoding="utf-8")
    result = run_cli("import", dump, "--date", "2024-03-12", "--docs-dir", tmp_path / "docs")
    assert result.code == 0, result.err
    assert "the text is in 'tr', not in the site's source language 'en'" in result.err
