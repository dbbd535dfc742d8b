"""Word files (.docx) → Article, with real Word footnotes and endnotes.

mammoth turns the document into clean HTML (headings from styles, emphasis,
lists, links, tables, footnotes and endnotes as linked lists); the shared HTML
code makes Markdown of it. The archive is checked first, so a zip bomb or a
file that only pretends to be .docx is refused before anything unpacks it.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from ..errors import ArticleFormatError
from ..models import Article
from . import htmlmd
from .assemble import Parsed, assemble, names_in
from .profile import Profile

PROFILE = Profile(name="docx", byline="either", run_in_headings=False)
MAX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 200
MAX_ENTRIES = 2000
_DC = "{http://purl.org/dc/elements/1.1/}"


def is_zip(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04")


def check_archive(data: bytes, path: Path) -> zipfile.ZipFile:
    """The opened archive, once it is known to be a Word file of sane size."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ArticleFormatError(path, "not a Word file: the zip archive is broken") from None
    entries = archive.infolist()
    if "word/document.xml" not in {entry.filename for entry in entries}:
        raise ArticleFormatError(path, "a zip archive but not a Word document (no word/document.xml)")
    unpacked = sum(entry.file_size for entry in entries)
    ratio = max((entry.file_size / max(entry.compress_size, 1) for entry in entries), default=0)
    if len(entries) > MAX_ENTRIES or unpacked > MAX_UNPACKED or ratio > MAX_RATIO:
        raise ArticleFormatError(path, f"refused: the archive would unpack to {unpacked // (1024 * 1024)} MB "
                                       f"(compression ratio {ratio:.0f}); it looks like a zip bomb")
    return archive


def parse_docx(data: bytes, path: Path) -> tuple[Article, list[str]]:
    import mammoth

    archive = check_archive(data, path)
    core = _core_properties(archive)
    try:
        result = mammoth.convert_to_html(io.BytesIO(data))
    except Exception as exc:  # mammoth raises many kinds on damaged files
        raise ArticleFormatError(path, f"not a readable Word document: {exc}") from None
    root = htmlmd.parse(f"<html><body>{result.value}</body></html>")
    notes = htmlmd.lift_notes(root)
    blocks = htmlmd.to_blocks(root)
    title = core.get("title", "")
    if not title and blocks and blocks[0].startswith("#"):
        title = blocks.pop(0).lstrip("# ").strip()
    blocks = [block for block in blocks if block.lstrip("# ").strip() != title]
    if not title:
        raise ArticleFormatError(path, "no recognisable title: set the document title or start with a heading")
    names = names_in(blocks.pop(0)) if blocks and names_in(blocks[0]) else []
    if not names and names_in(core.get("creator", "")):
        names = names_in(core["creator"])
    parsed = Parsed(title=title, paragraphs=blocks, notes=notes, names=names)
    return assemble(parsed, path, PROFILE)


def _core_properties(archive: zipfile.ZipFile) -> dict[str, str]:
    try:
        root = ET.fromstring(archive.read("docProps/core.xml"))
    except (KeyError, ET.ParseError):
        return {}
    return {key: (root.findtext(f"{_DC}{key}") or "").strip() for key in ("title", "creator")}
