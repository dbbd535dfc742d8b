"""Build small Word files from a readable fixture: the parts we write, the rest defaulted.

A fixture (``tests/docx/<case>.docx.txt``) is a list of parts, each opened by a
line ``=== <part name> ===``. A part named ``body`` is the inside of
``<w:body>`` and becomes ``word/document.xml``; ``core`` is the inside of
``cp:coreProperties``; any other name is written as given. Content types,
relationships, styles and numbering are added unless the fixture gives its own,
so each file says only what its case is about, and every byte is ours.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS = (f'xmlns:w="{W}" xmlns:r="{R}" '
       'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
       'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"')

_PARAGRAPH_STYLES = {
    "Title": "Title", "Subtitle": "Subtitle", "Heading1": "heading 1", "Heading2": "heading 2",
    "Quote": "Quote", "IntenseQuote": "Intense Quote", "HTMLPreformatted": "HTML Preformatted",
    "ListParagraph": "List Paragraph", "Author": "Author", "Date": "Date", "Abstract": "Abstract",
    "FootnoteText": "footnote text", "SourceCode": "Source Code", "Caption": "caption",
}
_CHARACTER_STYLES = {"Emphasis": "Emphasis", "Strong": "Strong", "HTMLCode": "HTML Code",
                     "FootnoteReference": "footnote reference", "Hyperlink": "Hyperlink"}


def _styles() -> str:
    styles = [f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/></w:style>'
              for sid, name in _PARAGRAPH_STYLES.items()]
    styles += [f'<w:style w:type="character" w:styleId="{sid}"><w:name w:val="{name}"/>'
               + ('<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>' if sid == "FootnoteReference" else "")
               + ('<w:rPr><w:i/></w:rPr>' if sid == "Emphasis" else "")
               + ('<w:rPr><w:b/></w:rPr>' if sid == "Strong" else "")
               + ('<w:rPr><w:rFonts w:ascii="Courier New" w:hAnsi="Courier New"/></w:rPr>' if sid == "HTMLCode" else "")
               + "</w:style>" for sid, name in _CHARACTER_STYLES.items()]
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles {_NS}>{"".join(styles)}</w:styles>'


_NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering {_NS}>
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"""

_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _content_types(parts: dict[str, str], main: str) -> str:
    overrides = {main: _MAIN, "/word/styles.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
                 "/word/numbering.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
                 "/word/footnotes.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                 "/word/endnotes.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
                 "/word/comments.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
                 "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml"}
    lines = "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides.items()
                    if name.lstrip("/") in parts or name == main)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="png" ContentType="image/png"/>' + lines + "</Types>")


def _document_rels(parts: dict[str, str], folder: str) -> str:
    kinds = {"styles.xml": "styles", "numbering.xml": "numbering", "footnotes.xml": "footnotes",
             "endnotes.xml": "endnotes", "comments.xml": "comments"}
    rels = [f'<Relationship Id="rId{index}" Type="{R}/{kind}" Target="{name}"/>'
            for index, (name, kind) in enumerate(kinds.items(), start=1) if f"{folder}{name}" in parts]
    rels.append(f'<Relationship Id="rIdLink1" Type="{R}/hyperlink" Target="https://example.org/a" TargetMode="External"/>')
    rels.append(f'<Relationship Id="rIdLink2" Type="{R}/hyperlink" Target="https://example.org/b" TargetMode="External"/>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(rels) + "</Relationships>")


def read_fixture(path: Path) -> dict[str, str]:
    """The parts a fixture file names, in its order."""
    parts: dict[str, str] = {}
    name = None
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        heading = re.fullmatch(r"=== (.+) ===\n?", line)
        if heading:
            name = heading.group(1)
            parts[name] = ""
        elif name is not None:
            parts[name] += line
    return parts


def build(parts: dict[str, str], main: str = "word/document.xml") -> bytes:
    """The bytes of a Word file holding ``parts`` (see the module docstring)."""
    import io
    parts = dict(parts)
    main = parts.pop("main", main).strip() if "main" in parts else main
    if "body" in parts:
        parts[main] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {_NS}><w:body>'
                       + parts.pop("body") + "</w:body></w:document>")
    if "core" in parts:
        parts["docProps/core.xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
            + parts.pop("core") + "</cp:coreProperties>")
    for note in ("footnotes", "endnotes", "comments"):
        if note in parts:
            root = {"footnotes": "footnotes", "endnotes": "endnotes", "comments": "comments"}[note]
            separators = "" if note == "comments" else (
                f'<w:{note[:-1]} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{note[:-1]}>'
                f'<w:{note[:-1]} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{note[:-1]}>')
            parts[f"word/{note}.xml"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{root} {_NS}>'
                                         + separators + parts.pop(note) + f"</w:{root}>")
    folder = main.rsplit("/", 1)[0] + "/" if "/" in main else ""
    parts.setdefault(f"{folder}styles.xml", _styles())
    parts.setdefault(f"{folder}numbering.xml", _NUMBERING)
    parts.setdefault("[Content_Types].xml", _content_types(parts, "/" + main))
    rels = [f'<Relationship Id="rId1" Type="{_DOC_REL}" Target="{main}"/>']
    if "docProps/core.xml" in parts:
        rels.append('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
                    'metadata/core-properties" Target="docProps/core.xml"/>')
    parts.setdefault("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                     + "".join(rels) + "</Relationships>")
    local = f"{folder}_rels/{main.rsplit('/', 1)[-1]}.rels"
    parts.setdefault(local, _document_rels(parts, folder))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def p(text: str = "", style: str = "", runs: str = "") -> str:
    """One paragraph: a style and either plain text or ready-made runs (for building cases in code)."""
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    plain = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
    return f"<w:p>{props}{runs or plain}</w:p>"
