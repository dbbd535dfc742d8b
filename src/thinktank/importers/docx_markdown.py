"""pandoc's document tree (its JSON AST) of a Word file → our Markdown blocks and ``[n]`` notes.

pandoc reads Word (styles, lists, tables, notes, sup/sub, quote and code
styles); we write the Markdown ourselves because the site's Markdown is
Python-Markdown with a fixed set of extensions and our notes travel as ``[n]``
markers with a separate list of definitions (``assemble`` checks them). Writing
from the tree, not re-parsing pandoc's Markdown, means every character of text
goes through one escaping function, so literal ``# ``, ``1. ``, ``[x](y)``,
``_x_`` or ``[3]`` in a Word file stay text.

The site has no caret/tilde extension, so superscripts and subscripts are
inline ``<sup>``/``<sub>`` (the sanitizer allows both); table cells keep
several paragraphs and lists as ``<br>``-separated lines, since a pipe table
cell is one line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

Node = dict[str, Any]

CODE_STYLES = ("code", "verbatim", "preformatted", "html keyboard", "html sample", "html typewriter",
               "html variable", "source", "macro text", "plain text", "console")
"""Words in a Word style name that mean "computer text" (HTML Code, Source Code, Verbatim Char, …)."""
_INDENT = "    "
_LIST = re.compile(r"(?:-|\d+\.)\s")
_ALWAYS = re.compile(r"([\\`*\[\]{}])")
_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_ANGLE = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_LINE_START = re.compile(r"^(\s*)(#|>|[-+*](?=\s|$)|=+\s*$|\d+(?=[.)](?:\s|$))|:(?=\s))")


@dataclass
class Converted:
    """What one document tree gave: Markdown blocks with ``[n]`` markers, the notes, what was dropped."""

    blocks: list[str]
    notes: list[tuple[int, str]]
    meta: dict[str, str]
    """title, subtitle, author, date and abstract from Word's styles, as plain text (abstract as Markdown)."""
    authors: list[str]
    """The Author style paragraphs, one name each (pandoc lists them separately)."""
    dropped: Counter[str] = field(default_factory=Counter)
    first_kind: str = ""
    """"heading" or "para": what the first block was, for the title fallbacks."""
    first_text: str = ""
    """The first block as plain text."""
    heading: str = ""
    """The first heading anywhere, as plain text."""


def escape(text: str) -> str:
    """Literal text as Markdown that reads back as the same text in Python-Markdown and markdown-it."""
    text = _ALWAYS.sub(r"\\\1", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    text = _ENTITY.sub("&amp;", text)
    return _ANGLE.sub("&lt;", text)


def _line_start(line: str) -> str:
    """Escape what would start a heading, list, quote or setext underline at the start of a line."""
    match = _LINE_START.match(line)
    if not match:
        return line
    lead, mark = match.group(1), match.group(2)
    rest = line[match.end():]
    if mark[0].isdigit():
        return f"{lead}{mark}\\{rest}"
    return f"{lead}\\{mark}{rest}"


def plain(inlines: list[Node]) -> str:
    """Inlines as plain text (titles, names, dates): what a reader sees, without markup or notes, on one line."""
    return " ".join(_text(inlines, " ").split())


def plain_raw(inlines: list[Node]) -> str:
    """Inlines as text with spacing kept (code keeps its runs of spaces and its line breaks)."""
    return _text(inlines, "\n")


def _text(inlines: list[Node], line_break: str) -> str:
    """The one walk behind :func:`plain` and :func:`plain_raw`: the words of every inline, markup and notes left
    out, a hard line break as ``line_break``."""
    out: list[str] = []
    for node in inlines:
        kind: str = node["t"]
        content: Any = node.get("c")  # pandoc's "c" is any JSON, by node type
        if kind == "Str":
            out.append(content)
        elif kind in ("Space", "SoftBreak"):
            out.append(" ")
        elif kind == "LineBreak":
            out.append(line_break)
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "SmallCaps", "Superscript", "Subscript"):
            out.append(_text(content, line_break))
        elif kind == "Quoted":
            opening, closing = ("“", "”") if content[0]["t"] == "DoubleQuote" else ("‘", "’")
            out.append(opening + _text(content[1], line_break) + closing)
        elif kind in ("Cite", "Link", "Span"):
            out.append(_text(content[1], line_break))
        elif kind in ("Code", "Math"):
            out.append(content[1])
    return "".join(out)


def plain_blocks(blocks: list[Node]) -> str:
    return " ".join(plain(block["c"]) for block in blocks if block["t"] in ("Para", "Plain"))


class _Writer:
    def __init__(self) -> None:
        self.notes: list[tuple[int, str]] = []
        self.dropped: Counter[str] = Counter()

    # --- inlines ---------------------------------------------------------------

    def inlines(self, nodes: list[Node]) -> str:
        return "".join(self.inline(node) for node in nodes)

    def inline(self, node: Node) -> str:
        kind: str = node["t"]
        content: Any = node.get("c")  # pandoc's "c" is any JSON, by node type
        if kind == "Str":
            return escape(content)
        if kind in ("Space", "SoftBreak"):
            return " "
        if kind == "LineBreak":
            return "<br>"
        if kind == "Emph":
            return self._wrapped("*", content)
        if kind == "Strong":
            return self._wrapped("**", content)
        if kind == "Superscript":
            return self._wrapped("<sup>", content, "</sup>")
        if kind == "Subscript":
            return self._wrapped("<sub>", content, "</sub>")
        if kind == "Strikeout":
            return self._wrapped("<del>", content, "</del>")
        if kind in ("Underline", "SmallCaps"):
            return self.inlines(content)
        if kind == "Quoted":
            opening, closing = ("“", "”") if content[0]["t"] == "DoubleQuote" else ("‘", "’")
            return opening + self.inlines(content[1]) + closing
        if kind == "Cite":
            return self.inlines(content[1])
        if kind == "Code":
            return _code(content[1])
        if kind == "Math":
            return escape(content[1])
        if kind == "Span":
            style = _custom_style(content[0])
            inner = content[1]
            if is_code_style(style) and plain(inner).strip():
                return self._code_span(inner)
            return self.inlines(inner)
        if kind == "Link":
            text = self.inlines(content[1])
            target = content[2][0]
            if not target or target.startswith("#") or not text.strip():
                return text  # a link to a bookmark of the Word file: the anchor is not imported, its text is
            return f"[{text}]({_url(target)})"
        if kind == "Image":
            self.dropped["image"] += 1
            return ""
        if kind == "Note":
            number = len(self.notes) + 1
            self.notes.append((number, ""))  # reserved, so a note inside the note cannot take this number
            self.notes[number - 1] = (number, self.note(content))
            return f"[{number}]"
        if kind == "RawInline":
            self.dropped["raw " + content[0]] += 1
            return ""
        self.dropped[kind] += 1
        return ""

    def _wrapped(self, opening: str, content: list[Node], closing: str | None = None) -> str:
        """Markup around text, with spaces Word put inside the run moved outside (``* a*`` is not emphasis)."""
        inner = self.inlines(content)
        stripped = inner.strip()
        if not stripped:
            return inner
        lead = inner[: len(inner) - len(inner.lstrip())]
        tail = inner[len(inner.rstrip()):]
        return f"{lead}{opening}{stripped}{closing if closing is not None else opening}{tail}"

    def _code_span(self, inner: list[Node]) -> str:
        text = plain_raw(inner)
        lead = text[: len(text) - len(text.lstrip())]
        tail = text[len(text.rstrip()):]
        return f"{lead}{_code(text.strip())}{tail}"

    # --- blocks ----------------------------------------------------------------

    def blocks(self, nodes: list[Node]) -> list[str]:
        out: list[str] = []
        pending_code: list[str] = []
        for node in nodes:
            line = self._code_paragraph(node)
            if line is not None:
                pending_code.append(line)
                continue
            if pending_code:
                out.append(_fence("\n".join(pending_code)))
                pending_code = []
            out.extend(self.block(node))
        if pending_code:
            out.append(_fence("\n".join(pending_code)))
        return [block for block in out if block.strip()]

    def _code_paragraph(self, node: Node) -> str | None:
        """The text of a paragraph in a code style (HTML Preformatted, Code…), which joins its neighbours."""
        if node["t"] != "Div" or not is_code_style(_custom_style(node["c"][0])):
            return None
        inner = node["c"][1]
        if not all(block["t"] in ("Para", "Plain") for block in inner):
            return None
        return "\n".join(plain_raw(block["c"]) for block in inner)

    def block(self, node: Node) -> list[str]:
        kind: str = node["t"]
        content: Any = node.get("c")  # pandoc's "c" is any JSON, by node type
        if kind in ("Para", "Plain"):
            text = self.inlines(content).strip()
            return [_line_start(text)] if text else []
        if kind == "Header":
            text = self.inlines(content[2]).strip()
            return [f"{'#' * content[0]} {text}"] if text else []
        if kind == "BlockQuote":
            inner = self.blocks(content)
            return ["\n>\n".join("\n".join("> " + line if line else ">" for line in block.split("\n"))
                                 for block in inner)] if inner else []
        if kind == "BulletList":
            return [self._list(content, lambda index: "-")]
        if kind == "OrderedList":
            start = content[0][0]
            return [self._list(content[1], lambda index: f"{start + index}.")]
        if kind == "CodeBlock":
            return [_fence(content[1])]
        if kind == "Table":
            return self._table(content)
        if kind == "Div":
            return self.blocks(content[1])
        if kind == "Figure":
            caption = content[1][1]
            return self.blocks(content[2]) + self.blocks(caption)
        if kind == "LineBlock":
            return [_line_start("<br>".join(self.inlines(line) for line in content))]
        if kind == "DefinitionList":
            out = []
            for term, definitions in content:
                out.append(_line_start(self.inlines(term)))
                for definition in definitions:
                    out.extend(self.blocks(definition))
            return out
        if kind == "HorizontalRule":
            return ["* * *"]
        if kind == "RawBlock":
            self.dropped["raw " + content[0]] += 1
            return []
        self.dropped[kind] += 1
        return []

    def _list(self, items: list[list[Node]], marker: Any) -> str:
        """Items under their markers, continuation blocks indented four spaces (Python-Markdown's rule)."""
        entries: list[str] = []
        loose = False
        for index, item in enumerate(items):
            label = marker(index)
            first, *rest = self.blocks(item) or [""]
            loose = loose or any(not _LIST.match(block) for block in rest)
            entry = f"{label} " + first.replace("\n", "\n" + _INDENT)
            for block in rest:
                entry += ("\n" if _LIST.match(block) else "\n\n") + "\n".join(
                    _INDENT + line if line else "" for line in block.split("\n"))
            entries.append(entry)
        return ("\n\n" if loose else "\n").join(entries)

    def _table(self, content: list[Any]) -> list[str]:
        head, bodies, foot = content[3], content[4], content[5]
        rows: list[list[Any]] = list(head[1])
        for body in bodies:
            rows += body[2] + body[3]
        rows += foot[1]
        width = len(content[2])
        cells: list[list[str]] = []
        for row in rows:
            line: list[str] = []
            for cell in row[1]:
                line.append(self._cell(cell[4]))
                line += [""] * (cell[3] - 1)  # a merged cell's other columns stay, empty
            cells.append(line)
        cells = [row for row in cells if row]
        if not any(any(cell.strip() for cell in row) for row in cells):
            return []
        width = max(len(row) for row in cells)
        cells = [row + [""] * (width - len(row)) for row in cells]
        header, *body = cells
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(row) + " |" for row in body]
        return ["\n".join(lines)]

    def _cell(self, blocks: list[Node]) -> str:
        """A cell's blocks as one line: paragraphs and list items separated by ``<br>``, pipes escaped."""
        parts: list[str] = []
        for node in blocks:
            kind: str = node["t"]
            content: Any = node.get("c")  # pandoc's "c" is any JSON, by node type
            if kind in ("BulletList", "OrderedList"):
                items = content if kind == "BulletList" else content[1]
                start = 1 if kind == "BulletList" else content[0][0]
                for index, item in enumerate(items):
                    label = "•" if kind == "BulletList" else f"{start + index}."
                    parts.append(f"{label} {self._cell(item)}")
            elif kind == "Div":
                parts.append(self._cell(content[1]))
            elif kind == "Table":  # a table in a cell: its cells, row by row
                parts.extend(" / ".join(row.strip("| ").split(" | ")) for block in self._table(content)
                             for row in block.split("\n")[2:] + block.split("\n")[:1])
            else:
                parts.extend(block.replace("\n", "<br>") for block in self.block(node))
        return "<br>".join(part for part in parts if part).replace("|", "\\|")

    def note(self, blocks: list[Node]) -> str:
        """A note's text: its first paragraph, then the others indented as footnote continuations."""
        inner = self.blocks(blocks)
        if not inner:
            return ""
        first, *rest = inner
        text = first
        for block in rest:
            text += "\n\n" + "\n".join(_INDENT + line if line else "" for line in block.split("\n"))
        return text


def _custom_style(attr: list[Any]) -> str:
    return next((value for key, value in attr[2] if key == "custom-style"), "")


def is_code_style(style: str) -> bool:
    lowered = style.lower()
    return bool(lowered) and any(word in lowered for word in CODE_STYLES)


def _code(text: str) -> str:
    if not text:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _fence(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"^`{3,}", text, re.M)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}\n{text.rstrip()}\n{fence}"


def _url(target: str) -> str:
    return target.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _meta_text(value: Node | None) -> str:
    if value is None:
        return ""
    kind: str = value["t"]
    content: Any = value.get("c")  # pandoc's "c" is any JSON, by node type
    if kind == "MetaInlines":
        return plain(content)
    if kind == "MetaString":
        return str(content)
    if kind == "MetaBlocks":
        return plain_blocks(content)
    if kind == "MetaList":
        return "; ".join(_meta_text(item) for item in content)
    return ""


def convert(document: Node) -> Converted:
    """Our Markdown of pandoc's tree of one Word file."""
    writer = _Writer()
    body = document.get("blocks", [])
    blocks = writer.blocks(body)
    meta_nodes = document.get("meta", {})
    meta = {key: _meta_text(meta_nodes.get(key)) for key in ("title", "subtitle", "date")}
    abstract = meta_nodes.get("abstract")
    meta["abstract"] = ""
    if abstract is not None and abstract["t"] == "MetaBlocks":
        meta["abstract"] = "\n\n".join(writer.blocks(abstract["c"]))
    elif abstract is not None:
        meta["abstract"] = escape(_meta_text(abstract))
    author = meta_nodes.get("author")
    authors = ([_meta_text(item) for item in author["c"]] if author and author["t"] == "MetaList"
               else [_meta_text(author)] if author else [])
    converted = Converted(blocks, writer.notes, meta, [name for name in authors if name], writer.dropped)
    for node in _flat(body):
        if node["t"] == "Header":
            converted.heading = plain(node["c"][2])
            break
    first = next(iter(_flat(body)), None)
    if first is not None:
        converted.first_kind = "heading" if first["t"] == "Header" else "para" if first["t"] in ("Para", "Plain") else ""
        converted.first_text = plain(first["c"][2] if first["t"] == "Header" else first["c"]) if converted.first_kind else ""
    return converted


def _flat(blocks: list[Node]) -> list[Node]:
    """Top-level blocks with style wrappers (Div) opened, empty paragraphs left out."""
    out: list[Node] = []
    for block in blocks:
        if block["t"] == "Div":
            out += _flat(block["c"][1])
        elif block["t"] in ("Para", "Plain") and not plain(block["c"]):
            continue
        else:
            out.append(block)
    return out
