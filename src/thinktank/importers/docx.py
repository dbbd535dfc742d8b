"""Word files (.docx, .docm, .dotx, strict OOXML) → Article, with real Word footnotes and endnotes.

The archive is checked first (sizes, entries, encryption, compression), so a
zip bomb or a file that only pretends to be Word is refused before anything
unpacks it. The main part is found as Word finds it (``_rels/.rels``, then
``[Content_Types].xml``), not by its usual name. pandoc reads the document
(:mod:`docx_pandoc`) and :mod:`docx_markdown` writes our Markdown from its
tree; this module decides title, authors and date from Word's styles, the
document properties and the text, and says what was dropped.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
import zlib
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree as ET

from ..errors import ArticleFormatError
from ..models import Article
from . import docx_markdown, docx_pandoc
from .assemble import Parsed, assemble, names_in
from .characters import clean_meta
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


_MAIN_TYPES = ("wordprocessingml.document.main+xml", "wordprocessingml.template.main+xml",
               "ms-word.document.macroEnabled.main+xml", "ms-word.template.macroEnabledTemplate.main+xml")
"""Content types of a Word main part: document, template (.dotx), macro-enabled (.docm, .dotm)."""
_OFFICE_DOCUMENT = "/officeDocument"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_STRICT = re.compile(rb"http://purl\.oclc\.org/ooxml/([A-Za-z]+)/([A-Za-z]+)")
_STRICT_NAMES = {b"extendedProperties": b"extended-properties", b"customProperties": b"custom-properties"}


def check_archive(data: bytes, path: Path) -> dict[str, bytes]:
    """Every member, unpacked, once the archive is known to be a Word file of sane size."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (*ZIP_ERRORS, ValueError):
        raise ArticleFormatError(path, "not a Word file: the zip archive is broken") from None
    entries = archive.infolist()
    names = {entry.filename for entry in entries}
    if not any(name.startswith("word/") or name == "[Content_Types].xml" for name in names):
        raise ArticleFormatError(path, "a zip archive but not a Word document (no Word part in it)")
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
    and checks the CRC, so this is bounded by ``MAX_UNPACKED``.
    """
    members = {}
    for entry in archive.infolist():
        if entry.is_dir():
            continue
        try:
            members[entry.filename] = archive.read(entry)
        except (*ZIP_ERRORS, ValueError) as exc:  # ValueError: a header offset that seeks before the start
            raise ArticleFormatError(path, f"not a Word file: the zip archive is broken ({entry.filename}: "
                                           f"{_one_line(exc)})") from None
    return members


def _xml(content: bytes) -> ET.Element | None:
    try:
        return ET.fromstring(_transitional(content))
    except ET.ParseError:
        return None


def _transitional(content: bytes) -> bytes:
    """Strict OOXML's namespaces (``purl.oclc.org/ooxml/...``) as the transitional ones pandoc reads.

    The two differ, for what we read, only in the namespace and relationship
    names (ECMA-376 Part 1 vs. Part 4): ``purl.oclc.org/ooxml/<a>/<b>`` is
    ``schemas.openxmlformats.org/<a>/2006/<b>``.
    """
    return _STRICT.sub(lambda match: b"http://schemas.openxmlformats.org/" + match.group(1) + b"/2006/"
                       + _STRICT_NAMES.get(match.group(2), match.group(2)), content)


def main_part(members: dict[str, bytes], path: Path) -> str:
    """The main document part, found as Word finds it: the package's officeDocument relationship,
    then the content type of a Word main part, then the usual names."""
    rels = _xml(members.get("_rels/.rels", b""))
    if rels is not None:
        for rel in rels.iter(f"{_REL_NS}Relationship"):
            if rel.get("Type", "").endswith(_OFFICE_DOCUMENT) and rel.get("TargetMode") != "External":
                name = posixpath.normpath(rel.get("Target", "").lstrip("/"))
                if name in members:
                    return name
    types = _xml(members.get("[Content_Types].xml", b""))
    if types is not None:
        for override in types.iter(f"{_TYPES_NS}Override"):
            name = posixpath.normpath(override.get("PartName", "").lstrip("/"))
            if override.get("ContentType", "").endswith(_MAIN_TYPES) and name in members:
                return name
    candidates = sorted(name for name in members if re.fullmatch(r"word/document\d*\.xml", name))
    if candidates:
        return candidates[0]
    raise ArticleFormatError(path, "a zip archive but not a Word document (no main document part: "
                                   "_rels/.rels and [Content_Types].xml name none, and there is no word/document.xml)")


def _for_pandoc(members: dict[str, bytes], main: str) -> bytes:
    """A stored archive of the checked members as pandoc reads Word: transitional namespaces, the main
    part named by ``_rels/.rels``, and no document properties (so pandoc's metadata is Word's styles only)."""
    parts = {name: _transitional(content) if name.endswith((".xml", ".rels")) else content
             for name, content in members.items() if name != "docProps/core.xml"}
    for name in parts:
        if name.endswith("styles.xml"):
            parts[name] = _code_styles_named(parts[name])
    parts[main] = _RUN_WITH_DRAWING.sub(rb"\1</w:r><w:r>\2", parts[main])
    parts["_rels/.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        f'Target="{main}"/></Relationships>').encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


_RUN_WITH_DRAWING = re.compile(rb"(</w:t>)\s*(<w:(?:drawing|pict)\b)")
"""Text and a picture in one run (LibreOffice writes it); pandoc keeps only the picture, so they are split."""
_STYLE = re.compile(rb"<w:style\b[^>]*>.*?</w:style>", re.S)
_STYLE_NAME = re.compile(rb'(<w:name\s+w:val=")([^"]*)(")')


def _code_styles_named(styles: bytes) -> bytes:
    """Code styles (HTML Code, HTML Preformatted, Code, …) renamed to the two pandoc knows.

    pandoc reads a paragraph in "Source Code" as a code block (spacing kept)
    and a run in "Verbatim Char" as code; other code styles would become plain
    text. Renaming in the copy pandoc reads keeps pandoc's own reading of every
    other style (emphasis and strong styles, quotes, headings).
    """
    def rename(match: re.Match[bytes]) -> bytes:
        style = match.group(0)
        name = _STYLE_NAME.search(style)
        if name is None or not docx_markdown.is_code_style(name.group(2).decode("utf-8", "replace")):
            return style
        new = b"Source Code" if b'w:type="paragraph"' in style[:200] else b"Verbatim Char"
        return style[:name.start(2)] + new + style[name.end(2):]
    return _STYLE.sub(rename, styles)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


# --- metadata ----------------------------------------------------------------------

_JUNK_TITLE = re.compile(r"(?i)^(?:\W*|title|untitled|document\d*|doc\d*|normal(?:\.dotm?)?|template|"
                         r"microsoft word\b.*|.*\.(?:docx?|dotx?|docm|dotm|rtf|odt|pdf)|slide \d+|"
                         r"(?:word )?document title|\[?title\]?|insert title here|click here.*)$")
"""Title properties that are not titles: punctuation, placeholders, what Word or a template fills in."""
_JUNK_AUTHOR = re.compile(r"(?i)^(?:microsoft office user|windows user|office user|admin(?:istrator)?|user|"
                          r"author|unknown|owner|python-docx|.*\bcorporation\b.*|.*\bltd\b.*|guest|.*\b(?:user|employee))$")
"""Creators that are software or an installation's default user, not a person."""
_BY = re.compile(r"(?i)^(?:by|author|authors|written by)\s*:?\s+")
SHORT_TITLE = 150
"""A first paragraph up to this many characters (and without a full stop inside) may be the title."""


def _core_properties(members: dict[str, bytes]) -> dict[str, str]:
    root = _xml(members.get("docProps/core.xml", b""))
    if root is None:  # missing or not XML: the document may still carry a title
        return {}
    return {key: " ".join((root.findtext(f"{_DC}{key}") or "").split()) for key in ("title", "creator")}


def split_names(text: str) -> list[str]:
    """The people a ``dc:creator`` or Author line names: "A; B", "A and B", "A, B and C"."""
    text = _BY.sub("", text.strip())
    names: list[str] = []
    for part in re.split(r"\s*;\s*|\s*\n\s*", text):
        if not part:
            continue
        found = names_in(part)
        names += found if found else ([part] if part and not _JUNK_AUTHOR.match(part) and _looks_like_name(part)
                                       else [])
    return [name for name in names if not _JUNK_AUTHOR.match(name)]


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 5 and all(word[:1].isupper() for word in words) and not any(c.isdigit() for c in text)


def _date(text: str) -> dt.date | None:
    """A Date-style paragraph's date, when it is one of the usual spellings; else none (never invented)."""
    text = text.strip().rstrip(".")
    for form in ("%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%B %d %Y", "%d.%m.%Y", "%d/%m/%Y", "%d %b %Y", "%b %d, %Y"):
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def _file_title(path: Path) -> str:
    stem = re.sub(r"[_\s]+", " ", path.stem.replace("-", " ")).strip()
    return stem[:1].upper() + stem[1:] if stem else "Untitled"


def _plain_title(block: str) -> str:
    """A Markdown block's text as a title: heading marks and escapes taken out."""
    text = re.sub(r"^#+\s+", "", block.strip())
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!>])", r"\1", text).replace("&lt;", "<").replace("&amp;", "&")


def _is_short(text: str) -> bool:
    return 0 < len(text) <= SHORT_TITLE and not re.search(r"[.!?:;]\s", text) and not text.endswith((".", ":", ";"))


def _count_part(members: dict[str, bytes], name: str, element: bytes) -> int:
    return members.get(name, b"").count(element)


def _dropped(members: dict[str, bytes], main: str, converted: docx_markdown.Converted, path: Path) -> list[str]:
    """One warning per kind of content the import leaves out, with how many."""
    said: list[str] = []
    folder = posixpath.dirname(main)
    comments = _count_part(members, posixpath.join(folder, "comments.xml"), b"<w:comment ")
    if comments:
        said.append(f"{comments} comment(s) left out (Word comments are not article text)")
    converted.dropped.pop("image", 0)
    document = members.get(main, b"")
    pictures = document.count(b"<w:drawing") + document.count(b"<w:pict") + document.count(b"<w:object")
    if pictures:
        said.append(f"{pictures} picture(s) left out (images, charts and drawings are not imported; "
                    "add them to the page by hand)")
    boxes = document.count(b"<w:txbxContent")
    if boxes:
        said.append(f"{boxes} text box(es) found; their text is imported where the box is anchored")
    changes = document.count(b"<w:ins ") + document.count(b"<w:del ")
    if changes:
        said.append(f"{changes} tracked change(s) accepted (the text is as it reads with changes accepted)")
    titles = len(re.findall(rb'<w:pStyle w:val="Title"', document))
    if titles > 1:
        said.append(f"{titles} paragraphs in Word's Title style: the file may hold several articles; "
                    "imported as one")
    for kind, count in sorted(converted.dropped.items()):
        said.append(f"{count} {kind} element(s) left out")
    return [f"{path}: {line}" for line in said]


def _check_xml(members: dict[str, bytes], main: str, path: Path) -> None:
    """The parts pandoc reads must be XML; a broken one is named (pandoc would only say "DocxError")."""
    folder = posixpath.dirname(main)
    for name in (main, *(posixpath.join(folder, part) for part in ("footnotes.xml", "endnotes.xml", "styles.xml",
                                                                    "numbering.xml"))):
        if name in members:
            try:
                ET.fromstring(members[name])
            except ET.ParseError as exc:
                raise ArticleFormatError(path, f"not a readable Word document: {name} is not well-formed XML "
                                               f"({_one_line(exc)})") from None


def _missing_notes(members: dict[str, bytes], main: str, path: Path) -> list[str]:
    """Note references whose note the file lacks: nothing of the text is lost, so a warning, not a refusal."""
    folder = posixpath.dirname(main)
    said = []
    for kind in ("footnote", "endnote"):
        wanted = set(re.findall(rb'<w:' + kind.encode() + rb'Reference\b[^>]*w:id="(-?\d+)"', members[main]))
        have = set(re.findall(rb'<w:' + kind.encode() + rb'\b[^>]*w:id="(-?\d+)"',
                              members.get(posixpath.join(folder, f"{kind}s.xml"), b"")))
        missing = sorted(int(number) for number in wanted - have)
        if missing:
            said.append(f"{path}: the text refers to {kind} {', '.join(map(str, missing[:10]))}, which the file "
                        "does not contain; the reference is left out")
    return said


def parse_docx(data: bytes, path: Path) -> tuple[Article, list[str]]:
    members = check_archive(data, path)
    main = main_part(members, path)
    _check_xml(members, main, path)
    removed: Counter[str] = Counter()
    core = {key: clean_meta(value, removed) for key, value in _core_properties(members).items()}
    try:
        document, pandoc_warnings = docx_pandoc.tree(_for_pandoc(members, main), path)
        converted = docx_markdown.convert(document)
    except RecursionError:
        raise ArticleFormatError(path, "not a readable Word document: its elements nest too deeply") from None
    except (KeyError, IndexError, TypeError, AttributeError) as exc:  # a tree of a pandoc API we do not know
        raise ArticleFormatError(path, f"not a readable Word document: unexpected pandoc output "
                                       f"({type(exc).__name__}: {_one_line(exc)})") from None
    warnings = [f"{path}: pandoc: {line}" for line in pandoc_warnings]
    warnings += _dropped(members, main, converted, path) + _missing_notes(members, main, path)
    blocks = list(converted.blocks)
    title, source = _title(core, converted, blocks, path)
    if source != "the Title property":
        warnings.append(f"{path}: title {title!r} taken from {source}")
    names = split_names("; ".join(converted.authors)) if converted.authors else []
    names = names or split_names(core.get("creator", ""))
    blocks = _without_byline(blocks, names)
    if not names and blocks and names_in(_plain_title(blocks[0])) and len(blocks) > 1:
        names = names_in(_plain_title(blocks.pop(0)))
    subtitle = converted.meta.get("subtitle", "")
    if subtitle:
        blocks.insert(0, f"*{docx_markdown.escape(subtitle)}*")
    if not any(block.strip() for block in blocks) and not converted.notes:
        raise ArticleFormatError(path, "the Word file has no text (an empty document or template)")
    parsed = Parsed(title=title, paragraphs=blocks, notes=converted.notes, names=names, removed=removed,
                    summary=converted.meta.get("abstract", ""), date=_date(converted.meta.get("date", "")))
    article, more = assemble(parsed, path, PROFILE)
    return article, warnings + more


def _title(core: dict[str, str], converted: docx_markdown.Converted, blocks: list[str],
           path: Path) -> tuple[str, str]:
    """The title and where it came from; the block it came from is taken out of ``blocks``.

    Fallbacks in order: the Title property (unless junk), Word's Title style,
    the first heading, the first short paragraph, the file name. A file with
    text is never refused for want of a title.
    """
    first = _plain_title(blocks[0]) if blocks else ""
    prop = core.get("title", "")
    style = converted.meta.get("title", "")
    for title, source in ((prop, "the Title property"), (style, "Word's Title style")):
        if title and not _JUNK_TITLE.match(title):
            if first == title:
                blocks.pop(0)
            return title, source
    if blocks and blocks[0].startswith("#") and converted.first_kind == "heading":
        blocks.pop(0)
        return converted.first_text, "the first heading"
    if converted.heading:
        return converted.heading, "the first heading"
    if blocks and converted.first_kind == "para" and _is_short(converted.first_text) and len(blocks) > 1:
        blocks.pop(0)
        return converted.first_text, "the first short paragraph"
    return _file_title(path), "the file name"


def _without_byline(blocks: list[str], names: list[str]) -> list[str]:
    """The blocks without a byline paragraph naming exactly the property's authors (it would print twice)."""
    if not names:
        return blocks
    wanted = {name.casefold() for name in names}
    for index, block in enumerate(blocks[:3]):
        text = _plain_title(block).strip("*_ ")
        found = names_in(text) or split_names(text)
        if found and {name.casefold() for name in found} == wanted:
            return blocks[:index] + blocks[index + 1:]
    return blocks


IMPORTER = Importer("docx", "a Word file (.docx) with real footnotes", accepts, declines, parse)
