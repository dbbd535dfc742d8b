"""translate keeps catalogs with gettext semantics: reviewed work is never touched."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from thinktank import catalog

from thinktank.engines.pseudo import PseudoEngine
from thinktank.translation import read_segments, translate

from .conftest import ROOT, snapshot

PISM = "analyses/north-korea-strengthens-cooperation-with-russia"
OLD = "Foreign Minister Sergei Lavrov, meanwhile, is due to travel to the North Korean capital in October."
NEW = "Foreign Minister Sergei Lavrov, meanwhile, travelled to the North Korean capital in October."


def _review_all(po_path: Path) -> None:
    """Act as a translator who reviewed every entry: clear the fuzzy flags."""
    po = polib.pofile(str(po_path), wrapwidth=0)
    for entry in po:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save(str(po_path))


def _entries(po_path: Path) -> dict[str, str]:
    return {entry.msgid: str(entry) for entry in polib.pofile(str(po_path), wrapwidth=0)}


def test_a_second_run_calls_the_engine_zero_times_and_writes_nothing(repo_copy: Path) -> None:
    engine = PseudoEngine()
    before = snapshot(repo_copy / "translations")
    reports = translate(repo_copy / "docs", repo_copy / "translations", ["tr", "ru"], engine)
    assert engine.batches == 0 and engine.segments == 0
    assert all(not report.written for report in reports)
    assert snapshot(repo_copy / "translations") == before


def test_editing_a_reviewed_paragraph_keeps_the_translation_as_fuzzy_with_the_new_draft_beside_it(
        repo_copy: Path) -> None:
    po_path = repo_copy / "translations" / "tr" / f"{PISM}.po"
    _review_all(po_path)
    reviewed_before = _entries(po_path)
    reviewed_text = polib.pofile(str(po_path)).find(OLD).msgstr
    page = repo_copy / "docs" / f"{PISM}.md"
    page.write_text(page.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")

    engine = PseudoEngine()
    translate(repo_copy / "docs", repo_copy / "translations", ["tr"], engine)

    assert engine.segments == 1, "only the edited paragraph may go to the engine"
    po = polib.pofile(str(po_path), wrapwidth=0)
    changed = po.find(NEW)
    assert changed is not None and "fuzzy" in changed.flags
    assert changed.previous_msgid == OLD
    assert changed.msgstr == reviewed_text, "the translator's text stays the msgstr"
    suggestion = catalog.notes(changed).suggestion
    assert suggestion is not None and suggestion.startswith("⸨"), "the new machine draft is offered beside it"
    assert po.find(OLD) is None and not po.obsolete_entries()
    after = _entries(po_path)
    for msgid, text in reviewed_before.items():
        if msgid != OLD:
            assert after[msgid] == text, f"reviewed entry changed: {msgid[:50]}"
    assert [e.msgid for e in po if "fuzzy" in e.flags] == [NEW]


def test_a_removed_paragraph_becomes_obsolete_not_deleted(repo_copy: Path) -> None:
    page = repo_copy / "docs" / f"{PISM}.md"
    page.write_text(page.read_text(encoding="utf-8").replace(f"{OLD}\n\n", ""), encoding="utf-8")
    engine = PseudoEngine()
    translate(repo_copy / "docs", repo_copy / "translations", ["ru"], engine)
    po = polib.pofile(str(repo_copy / "translations" / "ru" / f"{PISM}.po"), wrapwidth=0)
    assert [entry.msgid for entry in po.obsolete_entries()] == [OLD]
    assert po.obsolete_entries()[0].msgstr.startswith("Министр иностранных дел")
    assert engine.segments == 0
    assert f"#~ msgid \"{OLD}\"" in (repo_copy / "translations" / "ru" / f"{PISM}.po").read_text(encoding="utf-8")


def test_translation_memory_reuses_known_segments(repo_copy: Path) -> None:
    source = (repo_copy / "docs" / "about.md").read_text(encoding="utf-8")
    (repo_copy / "docs" / "about-copy.md").write_text(source.replace("title: About", "title: About us"), encoding="utf-8")
    engine = PseudoEngine()
    reports = translate(repo_copy / "docs", repo_copy / "translations", ["tr"], engine)
    assert engine.segments == 1, "only the new title is unknown"
    unique = {segment.text for segment in read_segments(repo_copy / "docs", "about-copy.md")}
    assert reports[0].from_memory == len(unique) - 1
    copy = polib.pofile(str(repo_copy / "translations" / "tr" / "about-copy.po"))
    assert copy.find("What we publish").msgstr == "Ne yayımlıyoruz"


def test_new_page_gets_drafts_with_provenance_glossary_and_localised_labels(repo_copy: Path) -> None:
    (repo_copy / "docs" / "analyses" / "new.md").write_text(
        "---\ntitle: A New Note\n---\n\nKim Jong Un met Putin on 3 May.[^1]\n\n"
        "[^1]: “Summit Report”, Example News, (Access Date: 04.05.2024).\n", encoding="utf-8")
    engine = PseudoEngine()
    translate(repo_copy / "docs", repo_copy / "translations", ["ru"], engine, only=[repo_copy / "docs/analyses/new.md"])
    po = polib.pofile(str(repo_copy / "translations" / "ru" / "analyses" / "new.po"))
    body = po.find("Kim Jong Un met Putin on 3 May.[^1]")
    assert "fuzzy" in body.flags and body.comment == "machine draft: pseudo pseudo-ru 0.1.0"
    assert "Ким Чен Ын" in body.msgstr, "the glossary's Russian form, not the pseudo engine's lettering of the name"
    assert "Ким Йонг Ун" not in body.msgstr
    assert body.msgstr.count("[^1]") == 1, "the note ref comes back once"
    note = po.find("“Summit Report”, Example News, (Access Date: 04.05.2024).")
    assert note.msgstr == "“Summit Report”, Example News, (Дата обращения: 04.05.2024)."
    assert engine.segments == 2  # title and paragraph; the note is not machine-translated


def test_catalogs_pass_msgfmt_check_format() -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt not found: install Debian's gettext package")
    for po in sorted((ROOT / "translations").rglob("*.po")):
        result = subprocess.run([msgfmt, "--check-format", "--check-header", "-o", "/dev/null", str(po)],
                                capture_output=True, text=True)
        assert result.returncode == 0 and not result.stderr, f"{po}: {result.stderr}"


def test_broken_catalog_is_named(repo_copy: Path, run_cli) -> None:
    (repo_copy / "translations" / "tr" / "about.po").write_text('msgid "unterminated\n', encoding="utf-8")
    result = run_cli("translate", "--engine", "pseudo", "--to", "tr",
                     "--docs-dir", repo_copy / "docs", "--translations-dir", repo_copy / "translations")
    assert result.code == 1
    assert "about.po" in result.err and "not a readable PO file" in result.err
    assert (repo_copy / "translations" / "tr" / "about.po").read_text(encoding="utf-8") == 'msgid "unterminated\n'
    assert result.err.count("\n") == 1


def test_notes_the_importer_recorded_as_citations_keep_their_text(tmp_path: Path) -> None:
    """``notes:`` in the front matter says which notes cite a source, even when their text does not parse as one."""
    docs, translations = tmp_path / "docs", tmp_path / "translations"
    docs.mkdir()
    (docs / "a.md").write_text(
        "---\ntitle: A\nnotes:\n- number: 1\n  publisher: Annual Review\n  title: Security in the Black Sea\n---\n\n"
        "Text.[^1] More.[^2]\n\n[^1]: Smith, Security in the Black Sea, Annual Review\n[^2]: A remark of the author.\n",
        encoding="utf-8")
    engine = PseudoEngine()
    translate(docs, translations, ["tr"], engine)
    cat = polib.pofile(str(translations / "tr" / "a.po"))
    cited = cat.find("Smith, Security in the Black Sea, Annual Review")
    assert cited.msgstr == "Smith, Security in the Black Sea, Annual Review"
    assert cited.comment.startswith("citation kept verbatim")
    assert "machine draft" in cat.find("A remark of the author.").comment


def test_an_author_s_name_is_never_sent_to_the_engine(tmp_path: Path) -> None:
    """A fresh user saw "Jöhn Şmıth" in bylines: the author page's title went through the engine."""
    docs, translations = tmp_path / "docs", tmp_path / "translations"
    (docs / "authors").mkdir(parents=True)
    (docs / "authors" / "john-smith.md").write_text("---\ntitle: John Smith\n---\n\nJohn writes on energy.\n",
                                                     encoding="utf-8")
    engine = PseudoEngine()
    translate(docs, translations, ["ru"], engine)
    cat = polib.pofile(str(translations / "ru" / "authors" / "john-smith.po"))
    name = cat.find("John Smith")
    assert name.msgstr == "John Smith" and name.comment == "name kept as written" and "fuzzy" in name.flags
    assert engine.segments == 1, "only the bio goes to the engine"


def test_a_page_not_in_the_source_language_is_skipped_with_a_warning(tmp_path: Path) -> None:
    """A Turkish article imported into an English site must not be fed to the en→tr engine as English."""
    from thinktank.engines.pseudo import PseudoEngine

    docs = tmp_path / "docs"
    (docs / "analyses").mkdir(parents=True)
    (docs / "analyses" / "turkce.md").write_text("---\ntitle: Yeni Koridorlar\nsource:\n  language: tr\n---\n\n"
                                                 "Bölgede yeni demiryolu hatları açılıyor.\n", encoding="utf-8")
    (docs / "analyses" / "english.md").write_text("---\ntitle: New Corridors\n---\n\nNew railways open.\n",
                                                  encoding="utf-8")
    heard: list[str] = []
    [report] = translate(docs, tmp_path / "translations", ["tr"], PseudoEngine(), progress=heard.append)
    assert report.pages == 1 and not (tmp_path / "translations" / "tr" / "analyses" / "turkce.po").exists()
    assert (tmp_path / "translations" / "tr" / "analyses" / "english.po").exists()
    assert any("turkce.md: skipped: its text is in 'tr'" in line for line in heard), heard
