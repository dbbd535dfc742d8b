"""Word files (.docx) → Article, with real Word footnotes and endnotes.

mammoth turns the document into clean HTML (headings from styles, emphasis,
lists, links, tables, footnotes and endnotes as linked lists); the shared HTML
code makes Markdown of it. The archive is checked first, so a zip bomb or a
file that only pretends to be .docx is refused before anything unpacks it.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.parsers.expat import ExpatError

from ..errors import ArticleFormatError
from ..models import Article
from . import htmlmd
from .assemble import Parsed, assemble, names_in
from .characters import clean_meta, clean_source
from .profile import Profile
from .registry import Importer, ImportOptions

PROFILE = Profile(name="docx", byline="either", run_in_headings=False)
MAX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 200
MAX_ENTRIES = 2000
_DC = "{http://purl.org/dc/elements/1.1/}"
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}
"""The compression methods Word writes; anything else is refused before unpacking."""
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError)
"""What :mod:`zipfile` raises on a damaged archive (bad headers, CRC, deflate stream, names)."""
MAMMOTH_ERRORS = (ExpatError, KeyError, ValueError)
"""What mammoth raises on damaged parts: bad XML (expat via minidom), a missing part or
note (KeyError), its own "could not find the body element" (ValueError), a bad number."""


def is_zip(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04")


_WORD_PARTS = (b"[Content_Types].xml", b"word/")
_END_OF_DIRECTORY = b"PK\x05\x06"


def accepts(data: bytes) -> bool:
    """A zip archive that names a Word part, or one too damaged to say (it has no central directory).

    Member names stand uncompressed in the archive's headers, so this is a
    byte search, as ``file`` does it: nothing is unpacked before
    :func:`check_archive` has checked sizes. A damaged zip is most likely a
    damaged Word file, and this importer names the damage; a sound archive
    without Word parts (photos, a spreadsheet's data) is not ours.
    """
    if not is_zip(data):
        return False
    return any(part in data for part in _WORD_PARTS) or _END_OF_DIRECTORY not in data[-65_557:]


def declines(data: bytes) -> str:
    return "a zip archive but not a Word document" if is_zip(data) else "not a zip archive"


def parse(data: bytes, path: Path, options: ImportOptions) -> tuple[Article, list[str]]:
    """The registry's entry point: a Word file carries its own metadata, so no option changes the parse."""
    return parse_docx(data, path)


def check_archive(data: bytes, path: Path) -> dict[str, bytes]:
    """Every member, unpacked, once the archive is known to be a Word file of sane size."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (*ZIP_ERRORS, ValueError):
        raise ArticleFormatError(path, "not a Word file: the zip archive is broken") from None
    entries = archive.infolist()
    if "word/document.xml" not in {entry.filename for entry in entries}:
        raise ArticleFormatError(path, "a zip archive but not a Word document (no word/document.xml)")
    unpacked = sum(entry.file_size for entry in entries)
    ratio = max((entry.file_size / max(entry.compress_size, 1) for entry in entries), default=0)
    if len(entries) > MAX_ENTRIES or unpacked > MAX_UNPACKED or ratio > MAX_RATIO:
        raise ArticleFormatError(path, f"refused: the archive would unpack to {unpacked // (1024 * 1024)} MB "
                                       f"in {len(entries)} entries (compression ratio {ratio:.0f}; limits "
                                       f"{MAX_UNPACKED // (1024 * 1024)} MB, {MAX_ENTRIES}, {MAX_RATIO}); "
                                       "it looks like a zip bomb")
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise ArticleFormatError(path, f"the Word file is encrypted ({entry.filename}); save it without a password")
        if entry.compress_type not in _METHODS or entry.flag_bits & 0x20:
            raise ArticleFormatError(path, f"{entry.filename} uses zip compression method {entry.compress_type}, "
                                           "which Word does not write; the file is damaged or not from Word")
    return _unpack_all(archive, path)


def _unpack_all(archive: zipfile.ZipFile, path: Path) -> dict[str, bytes]:
    """Read every member once, within the checked sizes, so a damaged one is named here.

    The headers may lie about sizes; zipfile reads at most the declared size
    and checks the CRC, so this is bounded by ``MAX_UNPACKED``. (A member can
    read whole yet fail when read in chunks, as mammoth does, when its
    compressed size lies; hence mammoth gets an archive rebuilt from these.)
    """
    members = {}
    for entry in archive.infolist():
        try:
            members[entry.filename] = archive.read(entry)
        except (*ZIP_ERRORS, ValueError) as exc:  # ValueError: a header offset that seeks before the start
            raise ArticleFormatError(path, f"not a Word file: the zip archive is broken ({entry.filename}: "
                                           f"{_one_line(exc)})") from None
    return members


def _rebuilt(members: dict[str, bytes]) -> io.BytesIO:
    """A stored (uncompressed) archive of checked members: nothing in it can fail to unpack."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    buffer.seek(0)
    return buffer


def _mammoth_problem(exc: Exception) -> str:
    key = exc.args[0] if isinstance(exc, KeyError) and exc.args else None
    if isinstance(key, tuple) and len(key) == 2:  # mammoth's note lookup: ("footnote", "9")
        return f"the text refers to {key[0]} {key[1]}, which the file does not contain"
    return f"{type(exc).__name__}: {_one_line(exc)}"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def parse_docx(data: bytes, path: Path) -> tuple[Article, list[str]]:
    import mammoth

    members = check_archive(data, path)
    removed: Counter[str] = Counter()
    core = {key: clean_meta(value, removed) for key, value in _core_properties(members).items()}
    try:
        result = mammoth.convert_to_html(_rebuilt(members))
    except MAMMOTH_ERRORS as exc:
        raise ArticleFormatError(path, f"not a readable Word document: {_mammoth_problem(exc)}") from None
    except RecursionError:
        raise ArticleFormatError(path, "not a readable Word document: its elements nest too deeply") from None
    root = htmlmd.parse(f"<html><body>{clean_source(result.value, removed)}</body></html>", path, removed)
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
    parsed = Parsed(title=title, paragraphs=blocks, notes=notes, names=names, removed=removed)
    return assemble(parsed, path, PROFILE)


def _core_properties(members: dict[str, bytes]) -> dict[str, str]:
    if "docProps/core.xml" not in members:
        return {}
    try:
        root = ET.fromstring(members["docProps/core.xml"])
    except ET.ParseError:  # not XML: the document may still carry a title
        return {}
    return {key: (root.findtext(f"{_DC}{key}") or "").strip() for key in ("title", "creator")}


IMPORTER = Importer("docx", "a Word file (.docx) with real footnotes", accepts, declines, parse)
