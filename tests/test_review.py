"""What a translator sees: status per page, and the side-by-side review sheet."""

from __future__ import annotations

from pathlib import Path

import polib

PISM = "analyses/north-korea-strengthens-cooperation-with-russia"


def _dirs(repo: Path) -> tuple[str, Path, str, Path]:
    return "--docs-dir", repo / "docs", "--translations-dir", repo / "translations"


def test_status_counts_drafts_reviewed_stale_and_untranslated(repo_copy: Path, run_cli) -> None:
    po_path = repo_copy / "translations" / "tr" / f"{PISM}.po"
    po = polib.pofile(str(po_path), wrapwidth=0)
    for entry in po:
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
    po.save(str(po_path))
    page = repo_copy / "docs" / f"{PISM}.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("is due to travel to", "travelled to") + "\nA brand new closing line.\n", encoding="utf-8")
    assert run_cli("translate", "--engine", "pseudo", "--to", "tr", *_dirs(repo_copy)).code == 0
    (repo_copy / "translations" / "tr" / "about.po").unlink()

    result = run_cli("status", "--lang", "tr", *_dirs(repo_copy))
    assert result.code == 0
    rows = {line.split()[0]: line.split() for line in result.out.splitlines() if line.startswith("    ")}
    # reviewed, draft (the new line), stale (the edited paragraph), untranslated
    assert rows[f"{PISM}.md"][1:5] == ["13", "1", "1", "0"]
    assert rows[f"{PISM}.md"][-1] == "87%"
    assert rows["about.md"][1:5] == ["0", "0", "0", "11"]
    assert "all pages" in result.out


def test_review_of_an_unknown_page_is_refused(repo_copy: Path, run_cli) -> None:
    result = run_cli("review", "tr", "analyses/nope.md", *_dirs(repo_copy))
    assert result.code == 1 and "nope.md: no such page" in result.err


def test_review_sheet_shows_source_draft_state_and_escapes_markup(repo_copy: Path, run_cli) -> None:
    po_path = repo_copy / "translations" / "ru" / f"{PISM}.po"
    po = polib.pofile(str(po_path), wrapwidth=0)
    entry = po.find("Foreign Minister Sergei Lavrov, meanwhile, is due to travel to the North Korean capital in October.")
    entry.msgstr = "<script>alert(1)</script> Лавров"
    entry.comment += "\nqa: missing number 2024"
    po.save(str(po_path))
    out = repo_copy / "sheet.html"
    result = run_cli("review", "ru", f"{PISM}.md", "-o", out, *_dirs(repo_copy))
    assert result.code == 0, result.err
    assert result.out.strip() == f"review sheet: {out}"
    sheet = out.read_text(encoding="utf-8")
    assert "<script>alert" not in sheet and "&lt;script&gt;alert(1)&lt;/script&gt; Лавров" in sheet
    assert '<div class="qa functional">qa (functional): missing number 2024</div>' in sheet
    assert "manual draft by project contributors, not yet reviewed" in sheet
    assert 'class="draft"' in sheet and "North Korea closed its borders in January 2020" in sheet
    assert "КНДР закрыла границы" in sheet


def test_review_sheet_offers_the_new_machine_draft_beside_a_kept_translation(repo_copy: Path, run_cli) -> None:
    po_path = repo_copy / "translations" / "tr" / f"{PISM}.po"
    po = polib.pofile(str(po_path), wrapwidth=0)
    old = "Foreign Minister Sergei Lavrov, meanwhile, is due to travel to the North Korean capital in October."
    entry = po.find(old)
    entry.flags.remove("fuzzy")
    entry.msgstr = "Dışişleri Bakanı Lavrov ekimde Pyongyang'a gidecek."
    po.save(str(po_path))
    page = repo_copy / "docs" / f"{PISM}.md"
    page.write_text(page.read_text(encoding="utf-8").replace("in October", "in November"), encoding="utf-8")
    assert run_cli("translate", "--engine", "pseudo", "--to", "tr", *_dirs(repo_copy)).code == 0
    out = repo_copy / "sheet.html"
    assert run_cli("review", "tr", f"{PISM}.md", "-o", out, *_dirs(repo_copy)).code == 0
    sheet = out.read_text(encoding="utf-8")
    row = next(line for line in sheet.splitlines() if "in November" in line)
    assert "Dışişleri Bakanı Lavrov ekimde Pyongyang&#x27;a gidecek." in row, "the translator's text is the msgstr"
    assert 'class="suggestion"' in row and "⸨" in row, "the new machine draft is offered beside it"
    assert "was: " + old in row and 'class="stale"' in row


def test_review_sheet_checks_reviewed_entries_too(repo_copy: Path, run_cli) -> None:
    po_path = repo_copy / "translations" / "tr" / f"{PISM}.po"
    po = polib.pofile(str(po_path), wrapwidth=0)
    entry = po.find("Foreign Minister Sergei Lavrov, meanwhile, is due to travel to the North Korean capital in October.")
    entry.flags.remove("fuzzy")
    entry.msgstr = "Lavrov [^9] gidecek."  # a note the source does not cite
    po.save(str(po_path))
    out = repo_copy / "sheet.html"
    assert run_cli("review", "tr", f"{PISM}.md", "-o", out, *_dirs(repo_copy)).code == 0
    row = next(line for line in out.read_text(encoding="utf-8").splitlines() if "Lavrov [^9]" in line)
    assert 'class="reviewed"' in row and 'qa (critical): adds footnote ref [^9] not in the source' in row
