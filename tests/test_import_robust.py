"""Bounded work and clean text on hostile input: many notes, control characters, damaged Word files."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from thinktank import feeds, frontmatter
from thinktank import library as library_mod
from thinktank.footnotes import MAX_NOTES
from thinktank.importers import ImportOptions, parse_file

from .test_import_html_docx import _docx

BYLINE = "By Jane Doe"
FILLER = "\n\n".join(["Shipping through the strait has changed since the corridor ended, and insurers price the risk "
                      "week by week while ports on the western shore take much of the traffic."] * 4)
"""Real text around the control characters: a dump with more than 1% of them is a binary file."""


def _dump(tmp_path: Path, text: str, name: str = "dump.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _page(docs: Path) -> tuple[dict, str]:
    [page] = sorted((docs / "analyses").glob("*.md"))
    return frontmatter.read(page)


# --- Many notes ---------------------------------------------------------------------

def _many_notes(count: int, listed: bool = False) -> str:
    paragraphs = [f"Paragraph {n} makes claim {n}.[{n}]" for n in range(1, count + 1)]
    notes = [f"{n}. Source number {n}, p. {n}." if listed else f"[{n}] Source number {n}, p. {n}."
             for n in range(1, count + 1)]
    return "\n\n".join(["A Study With Many Notes", BYLINE, *paragraphs, "Notes", "\n".join(notes)]) + "\n"


@pytest.mark.parametrize("listed", [False, True], ids=["bracketed", "listed"])
def test_1200_notes_keep_their_numbers(tmp_path: Path, run_cli, listed: bool) -> None:
    result = run_cli("import", _dump(tmp_path, _many_notes(1200, listed)), "--docs-dir", tmp_path / "docs")
    assert result.code == 0, result.err
    meta, body = _page(tmp_path / "docs")
    assert [note["number"] for note in meta["notes"]] == list(range(1, 1201))
    assert "Paragraph 1000 makes claim 1000.[^1000]" in body and "Paragraph 1200 makes claim 1200.[^1200]" in body
    assert "[^999]: Source number 999, p. 999.\n\n[^1000]: Source number 1000, p. 1000.\n" in body
    assert "[^1200]: Source number 1200, p. 1200.\n" in body


def test_notes_above_the_limit_are_refused_by_number(tmp_path: Path, run_cli) -> None:
    text = _many_notes(3).replace("[3]", f"[{MAX_NOTES + 1}]")
    result = run_cli("import", _dump(tmp_path, text), "--docs-dir", tmp_path / "docs")
    assert result.code == 1 and not (tmp_path / "docs").exists()
    assert result.err == (f"error: {tmp_path / 'dump.txt'}: note number [5001] is above the limit of 5,000 notes "
                          "per article; split the article or renumber its notes\n")


def test_a_5000_digit_marker_is_refused_not_a_traceback(tmp_path: Path, run_cli) -> None:
    huge = "9" * 5000  # int() refuses strings over 4,300 digits
    text = _many_notes(2).replace("[2]", f"[{huge}]")
    result = run_cli("import", _dump(tmp_path, text), "--docs-dir", tmp_path / "docs")
    assert result.code == 1 and "is above the limit of 5,000 notes" in result.err and len(result.err) < 300


def test_leading_zero_markers_match_their_note(tmp_path: Path, run_cli) -> None:
    text = "Zero Padded\n\nBy Jane Doe\n\nA claim.[01]\n\n[1] The source.\n"
    assert run_cli("import", _dump(tmp_path, text), "--docs-dir", tmp_path / "docs").code == 0
    _, body = _page(tmp_path / "docs")
    assert "A claim.[^1]" in body and "[^1]: The source." in body


def test_long_mismatch_lists_are_cut(tmp_path: Path, run_cli) -> None:
    text = "\n\n".join(["Unmatched", BYLINE, " ".join(f"Claim.[{n}]" for n in range(1, 400))]) + "\n"
    result = run_cli("import", _dump(tmp_path, text), "--strict", "--docs-dir", tmp_path / "docs")
    assert result.code == 1 and "[20] and 379 more" in result.err and result.err.count("\n") == 1


def test_a_long_note_full_of_quotes_is_quick(tmp_path: Path, run_cli) -> None:
    note = '"a ' * 16_000 + "https://example.org/x"  # 48 KB: quadratic citation parsing took ~10 s
    text = "\n\n".join(["Quotes", BYLINE, "A claim.[1]", f"[1] {note}"]) + "\n"
    started = time.perf_counter()
    result = run_cli("import", _dump(tmp_path, text), "--docs-dir", tmp_path / "docs")
    assert result.code == 0 and time.perf_counter() - started < 2, result.err
    meta, _ = _page(tmp_path / "docs")
    assert meta["notes"] == [{"number": 1, "url": "https://example.org/x"}]


def test_one_huge_wrapped_block_is_linear(tmp_path: Path, run_cli) -> None:
    lines = "\n".join(f"words of a long hard-wrapped paragraph, line {n}" for n in range(10_000))  # 480 KB
    started = time.perf_counter()
    result = run_cli("import", _dump(tmp_path, f"One Block\n\nBy Jane Doe\n\n{lines}\n"), "--docs-dir", tmp_path / "docs")
    assert result.code == 0 and time.perf_counter() - started < 3, result.err  # was 49 s: a regex over the whole text per line
    _, body = _page(tmp_path / "docs")
    assert body.count("line 9999") == 1 and "line 0 words" in body


# --- Control and invisible characters --------------------------------------------------

def test_backspace_in_a_dump_does_not_break_the_feed(tmp_path: Path, run_cli) -> None:
    source = _dump(tmp_path, f"The Black Sea\x08 Corridor\n\nBy Jane Doe\n\nShips\x08 sail on.\x1b[0m\n\n{FILLER}\n")
    result = run_cli("import", source, "--docs-dir", tmp_path / "docs")
    assert result.code == 0, result.err
    assert "removed or replaced 3 characters (U+0008 ×2, U+001B ×1)" in result.err
    page = next((tmp_path / "docs" / "analyses").glob("*.md")).read_text(encoding="utf-8")
    assert "\x08" not in page and "\x1b" not in page and "Ships sail on.[0m" in page
    library = library_mod.load_library(tmp_path / "docs", ["analyses"])
    feed = feeds.rss(library, title="T", description="D", home="https://x.example/", lang="en",
                     url_of=lambda entry: f"https://x.example/{entry.uri}")
    channel = ET.fromstring(feed.split("\n", 1)[1]).find("channel")
    assert channel is not None and channel.findtext("item/title") == "The Black Sea Corridor"


def test_bidi_override_and_zero_width_leave_the_title(tmp_path: Path, run_cli) -> None:
    title = "Elections in \u202eaibreS\u202c and \u200bGeorgia\ufeff"
    body = "Word\u200bbreak stays; ZWNJ in \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 stays.\u202e"
    source = _dump(tmp_path, f"{title}\n\nBy Jane \u200dDoe\n\n{body}\n")
    result = run_cli("import", source, "--docs-dir", tmp_path / "docs")
    assert result.code == 0, result.err
    meta, text = _page(tmp_path / "docs")
    assert meta["title"] == "Elections in aibreS and Georgia" and meta["authors"] == ["jane-doe"]
    assert "Word\u200bbreak stays; ZWNJ in \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 stays." in text
    assert "\u202e" not in text
    assert "U+200B ×1, U+200D ×1, U+202C ×1, U+202E ×2, U+FEFF ×1" in result.err
    assert result.err.count("removed or replaced") == 1


def test_line_separator_in_a_paragraph_is_a_break_not_glue(tmp_path: Path, run_cli) -> None:
    source = _dump(tmp_path, "Separators\n\nBy Jane Doe\n\nFirst line\u2028second line\x0bthird.\u2029Next paragraph."
                             f"\n\n{FILLER}\n")
    assert run_cli("import", source, "--docs-dir", tmp_path / "docs").code == 0
    _, body = _page(tmp_path / "docs")
    assert body.startswith("First line second line third.\n\nNext paragraph.")


def test_character_references_to_controls_in_html(tmp_path: Path, run_cli) -> None:
    page = tmp_path / "page.html"
    page.write_text('<!DOCTYPE html><html><head><title>Refs&#8; and &#x202e;Marks</title></head><body><article>'
                    "<h1>Refs and Marks</h1><p>By Jane Doe</p><p>One&#8;two&#x2028;three and four.<sup>"
                    '<a href="#fn1">1</a></sup></p><p>More text here so the extractor keeps it.</p>'
                    '<ol><li id="fn1">A source&#xb;with a break.</li></ol></article></body></html>', encoding="utf-8")
    result = run_cli("import", page, "--docs-dir", tmp_path / "docs")
    assert result.code == 0, result.err
    meta, body = _page(tmp_path / "docs")
    assert meta["title"] == "Refs and Marks"
    assert "Onetwo three and four.[^1]" in body and "[^1]: A source with a break." in body


# --- Damaged Word files --------------------------------------------------------------

def _rezip(source: Path, target: Path, change: dict[str, bytes | None]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = change.get(item.filename, old.read(item.filename))
            if data is not None:
                new.writestr(item.filename, data)
    return target


def _refused(path: Path, expect: str) -> str:
    from thinktank.errors import ArticleFormatError

    with pytest.raises(ArticleFormatError) as caught:
        parse_file(path, ImportOptions())
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and expect in message and "\n" not in message, message
    return message


def test_bad_xml_in_the_document_is_named(tmp_path: Path) -> None:
    broken = _rezip(_docx(tmp_path), tmp_path / "bad.docx", {"word/document.xml": b"<w:document><w:body><w:p>"})
    _refused(broken, "not a readable Word document: word/document.xml is not well-formed XML (")


def test_a_note_reference_without_its_note(tmp_path: Path) -> None:
    """The rest of the article is good: it is imported, and the warning names the missing note."""
    source = _docx(tmp_path)
    xml = re.sub(rb'(<w:footnoteReference w:id=")\d+', rb"\g<1>999", zipfile.ZipFile(source).read("word/document.xml"))
    orphan = _rezip(source, tmp_path / "orphan.docx", {"word/document.xml": xml})
    article, warnings = parse_file(orphan, ImportOptions())
    assert article.body and any("the text refers to footnote 999, which the file does not contain" in warning
                                for warning in warnings), warnings


def _patched(source: Path, target: Path, offset: int, value: bytes) -> Path:
    """``source`` with one field of every central-directory record overwritten."""
    data = bytearray(source.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        data[at + offset: at + offset + len(value)] = value
        at = data.find(b"PK\x01\x02", at + 4)
    target.write_bytes(bytes(data))
    return target


def test_encrypted_and_foreign_compression_are_refused_before_unpacking(tmp_path: Path) -> None:
    source = _docx(tmp_path)
    _refused(_patched(source, tmp_path / "locked.docx", 8, b"\x01\x00"), "is encrypted")
    _refused(_patched(source, tmp_path / "bzip.docx", 10, b"\x0c\x00"), "uses zip compression method 12")


def test_a_corrupt_member_is_named(tmp_path: Path) -> None:
    source = _docx(tmp_path)
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 10: start + 20] = bytes(10)  # inside the deflate stream
    damaged = tmp_path / "damaged.docx"
    damaged.write_bytes(bytes(data))
    _refused(damaged, "the zip archive is broken (word/document.xml: ")
