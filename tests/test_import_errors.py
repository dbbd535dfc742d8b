"""Bad input gets one clear line on stderr, a non-zero exit, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from thinktank import fsutil

from .conftest import ROOT, snapshot

ANKASAM = ROOT / "sources" / "ankasam-russia-north-korea-cooperation.txt"
GOOD = "A Title That Works\n\nBy Jane Doe\n\nBody text with a note.[1]\n\n[1] “Source”, Publisher, (Access Date: 01.02.2024).\n"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """A docs tree with one existing page, to prove failures leave it alone."""
    folder = tmp_path / "docs"
    (folder / "analyses").mkdir(parents=True)
    (folder / "analyses" / "existing.md").write_text("---\ntitle: Existing\n---\n\nKeep me.\n", encoding="utf-8")
    return folder


def _dump(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _fails(run_cli, docs: Path, *args, expect: str) -> str:
    before = snapshot(docs)
    result = run_cli("import", *args, "--docs-dir", docs)
    assert result.code != 0
    error_lines = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1, result.err
    assert expect in error_lines[0], error_lines[0]
    assert snapshot(docs) == before, "a failed import changed docs/"
    return error_lines[0]


def test_empty_file(run_cli, docs, tmp_path) -> None:
    path = _dump(tmp_path, "empty.txt", "\n  \n")
    line = _fails(run_cli, docs, path, expect="file is empty")
    assert str(path) in line


def test_binary_file_lists_the_importers_tried(run_cli, docs, tmp_path) -> None:
    path = _dump(tmp_path, "blob.txt", bytes(range(256)) * 8)
    line = _fails(run_cli, docs, path, expect="no importer accepts it")
    assert "docx (not a zip archive), html (no HTML markup), text (looks like a binary file)" in line


def test_pdf_and_old_word_files_say_what_to_do(run_cli, docs, tmp_path) -> None:
    pdf = _dump(tmp_path, "scan.txt", b"%PDF-1.7\x00\x01\x02\xff\xfe binary \x00 stream")
    _fails(run_cli, docs, pdf, expect="a PDF file; no importer reads PDF")
    doc = _dump(tmp_path, "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    _fails(run_cli, docs, doc, expect="an old Word .doc file; save it as .docx")


def test_no_recognisable_title(run_cli, docs, tmp_path) -> None:
    path = _dump(tmp_path, "untitled.txt", "This dump starts in the middle of a sentence, so it has no title.\n\nMore.\n")
    line = _fails(run_cli, docs, path, expect="no recognisable title")
    assert "untitled.txt" in line


def test_only_chrome_has_no_title(run_cli, docs, tmp_path) -> None:
    path = _dump(tmp_path, "chrome.txt", "Similar Posts\n\nShare\n\n3\n")
    _fails(run_cli, docs, path, expect="no recognisable title")


def test_missing_path(run_cli, docs, tmp_path) -> None:
    line = _fails(run_cli, docs, tmp_path / "nowhere.txt", expect="no such file")
    assert "nowhere.txt" in line


def test_existing_page_needs_force(run_cli, docs, tmp_path) -> None:
    path = _dump(tmp_path, "existing.txt", GOOD.replace("A Title That Works", "Existing"))
    _fails(run_cli, docs, path, expect="already exists")
    result = run_cli("import", path, "--force", "--docs-dir", docs)
    assert result.code == 0
    assert "Body text with a note.[^1]" in (docs / "analyses" / "existing.md").read_text(encoding="utf-8")


def test_one_bad_file_in_a_batch_writes_nothing(run_cli, docs, tmp_path) -> None:
    good = _dump(tmp_path, "good.txt", GOOD)
    bad = _dump(tmp_path, "bad.txt", "")
    _fails(run_cli, docs, good, bad, expect="bad.txt")
    assert not (docs / "analyses" / "a-title-that-works.md").exists()


def test_two_files_with_one_title_are_refused(run_cli, docs, tmp_path) -> None:
    first, second = _dump(tmp_path, "one.txt", GOOD), _dump(tmp_path, "two.txt", GOOD)
    _fails(run_cli, docs, first, second, expect="has the same title as")


@pytest.mark.parametrize(
    ("body", "notes", "expect"),
    [
        ("Text.[1] More.[2]", "[1] One.", "marker without a definition for note [2]"),
        ("Text.[1]", "[1] One.\n\n[2] Two.\n\n[3] Three.", "definition without a marker for note [2], [3]"),
        ("Text.[1] More.[2]", "[1] One.\n\n[2] Two.\n\n[2] Two again.", "definition used more than once for note [2]"),
    ],
    ids=["marker-without-definition", "definition-without-marker", "definition-twice"],
)
def test_footnote_mismatch_names_file_and_notes(run_cli, docs, tmp_path, body, notes, expect) -> None:
    """``--strict`` refuses what a default import takes with a warning (a note defined twice: always)."""
    path = _dump(tmp_path, "notes.txt", f"Title Of The Piece\n\n{body}\n\n{notes}\n")
    line = _fails(run_cli, docs, path, "--strict", expect=expect)
    assert "notes.txt" in line and "footnotes do not match" in line


def test_unmatched_markers_and_notes_are_imported_as_text_with_a_warning(run_cli, docs, tmp_path) -> None:
    """Nothing is lost: a marker without its note stays "[2]", a note without a marker becomes a paragraph."""
    path = _dump(tmp_path, "loose.txt", "Title Of The Piece\n\nText.[1] More.[2]\n\n[1] One.\n\n[3] Three.\n")
    result = run_cli("import", path, "--docs-dir", docs)
    assert result.code == 0, result.err
    assert "footnotes do not match: marker without a definition for note [2]; definition without a marker for " \
           "note [3]; imported with them as plain text" in result.err
    page = next(docs.rglob("*.md")).read_text(encoding="utf-8")
    assert "Text.[^1] More.[2]" in page and "\\[3\\] Three." in page and "[^1]: One." in page


def test_a_note_cited_twice_is_legal_and_keeps_both_places(run_cli, docs, tmp_path) -> None:
    """Real articles cite the same note again; the whole page was once refused for it."""
    path = _dump(tmp_path, "twice.txt", "Title Of The Piece\n\nText.[1] More.[2] Again.[1]\n\n[1] One.\n\n[2] Two.\n")
    result = run_cli("import", path, "--docs-dir", docs)
    assert result.code == 0, result.err
    page = next(docs.rglob("*.md")).read_text(encoding="utf-8")
    assert "Text.[^1] More.[^2] Again.[^1]" in page and page.count("[^1]:") == 1


def test_unsafe_section_is_refused(run_cli, docs, tmp_path) -> None:
    path = _dump(tmp_path, "good.txt", GOOD)
    _fails(run_cli, docs, path, "--section", "../outside", expect="unsafe path part")
    assert not (tmp_path / "outside").exists()


def test_hostile_title_gives_a_slug_inside_docs(run_cli, docs, tmp_path) -> None:
    path = _dump(tmp_path, "hostile.txt", GOOD.replace("A Title That Works", "../../etc/passwd ~ /root"))
    assert run_cli("import", path, "--docs-dir", docs).code == 0
    assert (docs / "analyses" / "etc-passwd-root.md").exists()


def test_bad_date_option(run_cli, docs, tmp_path) -> None:
    path = _dump(tmp_path, "good.txt", GOOD)
    result = run_cli("import", path, "--date", "01.02.2024", "--docs-dir", docs)
    assert result.code == 2 and "not a date in the form YYYY-MM-DD" in result.err
    assert not (docs / "analyses" / "a-title-that-works.md").exists()


def test_interrupted_write_keeps_the_old_file(tmp_path, monkeypatch) -> None:
    target = tmp_path / "page.md"
    target.write_text("old", encoding="utf-8")

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(fsutil.os, "replace", crash)
    with pytest.raises(OSError):
        fsutil.atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"], "temporary file left behind"


def test_reimport_without_change_is_up_to_date_and_forced_identically(run_cli, tmp_path) -> None:
    docs = tmp_path / "docs"
    assert run_cli("import", ANKASAM, "--docs-dir", docs).code == 0
    first = snapshot(docs)
    again = run_cli("import", ANKASAM, "--docs-dir", docs)
    assert again.code == 0 and "0 article(s) imported, 1 already up to date" in again.out
    assert run_cli("import", ANKASAM, "--force", "--docs-dir", docs).code == 0
    assert snapshot(docs) == first
