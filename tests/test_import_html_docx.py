"""Saved web pages and Word files import like text dumps: same model, same guarantees."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from thinktank import frontmatter

from .conftest import ROOT, snapshot
from .test_import_cases import _written

HTML_CASES = sorted((ROOT / "tests" / "html").glob("*.html"))
CODECS = {"windows-1251": "cp1251", "windows-1254": "cp1254"}


def _save(case: Path, tmp_path: Path, name: str | None = None) -> Path:
    """The fixture as a browser would have saved it (in the charset its name gives)."""
    stem, _, charset = case.name.removesuffix(".html").partition(".")
    page = tmp_path / (name or f"{stem}.html")
    page.write_bytes(case.read_text(encoding="utf-8").encode(CODECS.get(charset, "utf-8")))
    return page


@pytest.mark.parametrize("case", HTML_CASES, ids=[case.name for case in HTML_CASES])
def test_html_case_matches_golden(case: Path, tmp_path: Path, run_cli, golden) -> None:
    result = run_cli("import", _save(case, tmp_path), "--docs-dir", tmp_path / "docs")
    assert result.code == 0, result.err
    written = _written(tmp_path / "docs")
    golden(case.with_name(case.name.split(".")[0] + ".expect.md"), written)
    for chrome in ("Related Posts", "Similar Posts", "Tweet", "comment", "Privacy", "Поделиться", "Популярное",
                   "Leave a Reply", "Главная", "also available"):
        assert chrome not in written, f"page chrome {chrome!r} reached the article"


def test_web_page_metadata_notes_and_bio(tmp_path: Path, run_cli) -> None:
    page = _save(ROOT / "tests" / "html" / "wordpress-footnote-block.html", tmp_path)
    assert run_cli("import", page, "--docs-dir", tmp_path / "docs").code == 0
    meta, body = frontmatter.read(tmp_path / "docs" / "analyses" / "grain-ports-and-the-black-sea-corridor.md")
    assert meta["title"] == "Grain, Ports and the Black Sea Corridor" and str(meta["date"]) == "2024-03-14"
    assert meta["source"]["url"] == "https://bosphorus-forum.example/analyses/grain-ports-black-sea-corridor/"
    assert meta["source"]["language"] == "en" and meta["authors"] == ["ayse-yildiz"]
    assert "collapse.[^1] They did not" in body and "[^3]: Ibid." in body
    assert "↩" not in body and "## A corridor without a treaty" in body and "| Odesa | 12.4 million |" in body
    assert meta["notes"][2] == {"number": 3, "ibid": 2}
    _, bio = frontmatter.read(tmp_path / "docs" / "authors" / "ayse-yildiz.md")
    assert bio.startswith("Ayşe Yıldız is a senior fellow")


def test_importer_is_chosen_by_content_not_name(tmp_path: Path, run_cli) -> None:
    disguised = _save(ROOT / "tests" / "html" / "text-markers-author-box.html", tmp_path, "saved-page.txt")
    result = run_cli("import", disguised, "--docs-dir", tmp_path / "docs")
    assert result.code == 0 and "profile html" in result.out


def test_html_output_is_deterministic(tmp_path: Path, run_cli) -> None:
    page = _save(ROOT / "tests" / "html" / "sup-links-notes-list.windows-1251.html", tmp_path)
    for name in ("a", "b"):
        assert run_cli("import", page, "--docs-dir", tmp_path / name).code == 0
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


# --- Word --------------------------------------------------------------------------

WORD_SOURCE = """---
title: Naval Drones and the Black Sea Balance
author: Elif Kaya
---

# Naval Drones and the Black Sea Balance

Ukraine's *Magura* drones changed the war at sea in **2023**.[^1]

## What changed

- the Russian fleet left Sevastopol for Novorossiysk;
- insurers [repriced the risk](https://example.org/insurers).

| Year | Ships hit |
|------|-----------|
| 2022 | 3 |
| 2023 | 15 |

Turkey kept the Straits closed to warships.[^2]

[^1]: "Sea Drones in the Black Sea", Naval News, (Access Date: 05.01.2024).
[^2]: Ibid.
"""


def _docx(tmp_path: Path, markdown: str = WORD_SOURCE, name: str = "article.docx") -> Path:
    pypandoc = pytest.importorskip("pypandoc", reason="pip install pypandoc-binary (builds the Word fixtures)")
    target = tmp_path / name
    pypandoc.convert_text(markdown, "docx", format="markdown", outputfile=str(target))
    return target


def test_word_file_with_real_footnotes(tmp_path: Path, run_cli, golden) -> None:
    result = run_cli("import", _docx(tmp_path), "--date", "2024-01-20", "--docs-dir", tmp_path / "docs")
    assert result.code == 0, result.err
    written = _written(tmp_path / "docs")
    golden(ROOT / "tests" / "golden" / "word-footnotes.expect.md", written)
    meta, body = frontmatter.read(tmp_path / "docs" / "analyses" / "naval-drones-and-the-black-sea-balance.md")
    assert meta["authors"] == ["elif-kaya"]
    assert "Ukraine’s *Magura* drones changed the war at sea in **2023**.[^1]" in body
    assert "## What changed" in body and "- insurers [repriced the risk](https://example.org/insurers)." in body
    assert "| 2023 | 15 |" in body and "[^2]: Ibid." in body
    assert meta["notes"][0]["title"] == "Sea Drones in the Black Sea"


def test_word_file_named_otherwise_is_still_read_as_word(tmp_path: Path, run_cli) -> None:
    source = _docx(tmp_path, name="from-author.bin")
    assert "profile docx" in run_cli("import", source, "--docs-dir", tmp_path / "docs").out


# --- Hostile and broken files -----------------------------------------------------

def _fails(run_cli, tmp_path: Path, path: Path, expect: str) -> None:
    docs = tmp_path / "docs"
    result = run_cli("import", path, "--docs-dir", docs)
    assert result.code == 1 and expect in result.err and str(path.name) in result.err, result.err
    assert not docs.exists(), "a refused file wrote something"


def test_zip_bomb_docx_is_refused_before_unpacking(tmp_path: Path, run_cli) -> None:
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/padding.bin", "w") as padding:
            for _ in range(40):
                padding.write(bytes(1024 * 1024))
    _fails(run_cli, tmp_path, bomb, "looks like a zip bomb")


def test_broken_and_false_word_files(tmp_path: Path, run_cli) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04" + bytes(100))
    _fails(run_cli, tmp_path, broken, "the zip archive is broken")
    other = tmp_path / "photos.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", b"not really")
    other.write_bytes(buffer.getvalue())
    _fails(run_cli, tmp_path, other, "a zip archive but not a Word document")


def test_huge_html_is_refused_without_parsing(tmp_path: Path, run_cli) -> None:
    huge = tmp_path / "huge.html"
    with huge.open("wb") as handle:
        handle.write(b"<!DOCTYPE html><html><head><title>Huge</title></head><body>")
        chunk = b"<p>" + b"word " * 2000 + b"</p>\n"
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(chunk)
    _fails(run_cli, tmp_path, huge, "HTML file is larger than 10 MB")


def test_invalid_utf8_html_is_named(tmp_path: Path, run_cli) -> None:
    page = tmp_path / "broken.html"
    page.write_bytes(b'<!DOCTYPE html><html><head><meta charset="utf-8"><title>T</title></head>'
                     b"<body><p>Caf\xe9 \xff\xfe</p></body></html>")
    _fails(run_cli, tmp_path, page, "invalid UTF-8 at byte")


def test_page_without_title_is_refused(tmp_path: Path, run_cli) -> None:
    page = tmp_path / "untitled.html"
    page.write_text("<!DOCTYPE html><html><body><div><p>Text only.</p><p>More.</p><p>End.</p></div></body></html>",
                    encoding="utf-8")
    _fails(run_cli, tmp_path, page, "no recognisable title")


def _as_endnotes(docx: Path) -> Path:
    """The same Word file with its footnotes turned into endnotes (Word's other kind of note)."""
    renames = {"footnotes": "endnotes", "footnote": "endnote", "Footnote": "Endnote"}
    target = docx.with_name("endnotes.docx")
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            name = item.filename.replace("footnotes", "endnotes")
            if name.endswith((".xml", ".rels")):
                text = data.decode("utf-8")
                for old, new in renames.items():
                    text = text.replace(old, new)
                data = text.encode("utf-8")
            out.writestr(name, data)
    return target


def test_word_endnotes_become_footnotes_too(tmp_path: Path, run_cli) -> None:
    source = _as_endnotes(_docx(tmp_path))
    assert "endnotes.xml" in " ".join(zipfile.ZipFile(source).namelist())
    assert run_cli("import", source, "--docs-dir", tmp_path / "docs").code == 0
    _, body = frontmatter.read(tmp_path / "docs" / "analyses" / "naval-drones-and-the-black-sea-balance.md")
    assert "in **2023**.[^1]" in body and "[^1]: “Sea Drones in the Black Sea”" in body and "[^2]: Ibid." in body
