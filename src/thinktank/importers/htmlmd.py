"""HTML → Markdown blocks, and note definitions lifted out of the DOM.

Used by the web-page importer on the main content trafilatura finds (Word
files go through pandoc's tree instead). Footnotes arrive in three shapes: ``[n]``
in the text, ``<sup>`` links to a notes list, and WordPress footnote blocks;
``lift_notes`` turns the last two into ``[n]`` markers plus definitions, so the
rest of the pipeline sees one shape.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html
from lxml.etree import _Element

from ..errors import ArticleFormatError
from .characters import clean_source

_BACKLINK = re.compile(r"^\s*(↩[\ufe0e\ufe0f]?|↑|⤴|\^|back|return|\^?\s*[a-z]?)\s*$", re.I)
_SPACES = re.compile(r"\s+")
HEADINGS = {"h1": 2, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
"""H1 in content becomes ##: the page's only H1 is its title."""


_NOTES_PLACE = re.compile(r"(?i)foot-?notes?|end-?notes?|\bnotes?\b|\bfn\b|references|reflist|sources|"
                          r"citations?|ftn|easy-footnote|\bnote-?\d|^n\d+$|_edn|^en\d+$")
"""An id or class saying "this is the notes list" (WordPress plugins, mammoth, pandoc, Word's HTML)."""
_NOTE_ID = re.compile(r"(?i)^(?:fn|ftn|_ftn|edn|_edn|en|note|footnote|endnote|cite_note|easy-footnote-bottom)"
                      r"[-_:]*\w*\d")


def lift_notes(root: _Element, page_url: str = "") -> list[tuple[int, str]]:
    """Replace note references with ``[n]`` text and remove their definitions.

    A reference is a link to ``#id`` on this page (inside ``<sup>``, marked as
    a footnote link, or whose text is a number) whose target is a note: a list
    item or paragraph in a notes-like container, an id that names a note, or
    a target holding a back link to the reference. A comment counter
    (``#comments``, ``#disqus_thread``) or a link to another page is text.
    Notes are numbered in the order their references first appear; a note
    cited twice gets the same number at both places.
    """
    ids = {element.get("id"): element for element in root.iter() if isinstance(element.tag, str) and element.get("id")}
    numbers: dict[str, int] = {}
    shown: dict[str, str] = {}
    for link in list(root.iter("a")):
        page, _, target_id = (link.get("href") or "").strip().partition("#")
        target = ids.get(target_id)
        if not target_id or target is None or target.tag not in ("li", "p", "div", "aside", "dd") \
                or re.search(r"(?i)ref", target_id):
            continue
        if page and not _same_page(page, page_url):
            continue
        if not _is_reference(link) or _is_backlink(link) or _contains(target, link) or not _is_note(target, link):
            continue
        number = numbers.setdefault(target_id, len(numbers) + 1)
        shown.setdefault(target_id, link.text_content().strip())
        marker = link.getparent() if link.getparent() is not None and link.getparent().tag == "sup" else link
        _replace_with_text(marker, f"[{number}]")
    notes = []
    for target_id, number in numbers.items():
        target = ids[target_id]
        for back in [a for a in target.iter("a") if _is_backlink(a)]:
            _replace_with_text(back, "")
        _drop_leading_number(target, shown[target_id])
        text = _BACKLINK_CHARS.sub("", inline(target)).strip()
        notes.append((number, _leading_number(shown[target_id]).sub("", text, count=1).strip()))
        _remove(target)
    return sorted(notes)


_BACKLINK_CHARS = re.compile(r"\s*[↩↑⤴][\ufe0e\ufe0f]?|[\ufe0e\ufe0f]")


def _same_page(page: str, page_url: str) -> bool:
    """``href="https://site/post/#fn1"`` on the saved copy of https://site/post/ is a link into this page."""
    def bare(url: str) -> str:
        return re.sub(r"^https?://(?:www\.)?|/+$|[?].*$", "", url.strip()).lower()
    return bool(page_url) and bare(page) == bare(page_url)


def _is_note(target: _Element, link: _Element) -> bool:
    """A reference's target is a note when it sits in the page's notes or links back to the reference."""
    if _NOTE_ID.match(target.get("id") or ""):
        return True
    for element in (target, *target.iterancestors()):
        if element.tag in ("body", "html"):
            break
        if _NOTES_PLACE.search(f"{element.get('id') or ''} {element.get('class') or ''}") \
                and not re.search(r"(?i)comment|disqus|respond|reply", f"{element.get('id') or ''} "
                                                                        f"{element.get('class') or ''}"):
            return True
    back_ids = {value for value in (link.get("id"), link.getparent().get("id") if link.getparent() is not None else None)
                if value}
    return any((a.get("href") or "").partition("#")[2] in back_ids for a in target.iter("a")) if back_ids else False


def _is_backlink(link: _Element) -> bool:
    return bool(_BACKLINK.match(link.text_content() or "")) or "back" in (link.get("class") or "").lower() \
        or "footnote-backref" in (link.get("class") or "") or (link.get("role") or "") == "doc-backlink"


def _leading_number(shown: str) -> re.Pattern[str]:
    digits = re.sub(r"\D", "", shown)
    return re.compile(rf"^\s*\\?\[?{digits}\\?\]?[.):]?\s*" if digits else r"^(?!)")


def _drop_leading_number(target: _Element, shown: str) -> None:
    """The source's own number at the start of a note ("<span>22</span>Sometimes…") is not note text."""
    digits = re.sub(r"\D", "", shown)
    if not digits:
        return
    first = next((child for child in target.iter() if child is not target and isinstance(child.tag, str)
                  and child.tag not in ("p", "div")), None)
    if first is None:
        return
    before = "".join(_text_before(target, first)).strip()
    if not before and re.fullmatch(rf"\[?{digits}\]?[.):]?", first.text_content().strip()):
        _replace_with_text(first, " ")


def _text_before(target: _Element, element: _Element) -> list[str]:
    parts = []
    for node in (element, *element.iterancestors()):
        if node is target:
            break
        parent = node.getparent()
        parts.append(parent.text or "")
        for sibling in node.itersiblings(preceding=True):
            parts.append(sibling.text_content() + (sibling.tail or ""))
    return parts


def _is_reference(link: _Element) -> bool:
    parent = link.getparent()
    marked = "footnote" in (link.get("class") or "") or "fn" in (link.get("class") or "").split() \
        or (link.get("role") or "") == "doc-noteref"
    return marked or (parent is not None and parent.tag == "sup") or bool(re.fullmatch(r"\[?[0-9]+\]?", link.text_content().strip()))


def _contains(ancestor: _Element, element: _Element) -> bool:
    return any(node is ancestor for node in element.iterancestors())


def _replace_with_text(element: _Element, text: str) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = (element.tail or "")
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text + tail
    else:
        parent.text = (parent.text or "") + text + tail
    parent.remove(element)


def _remove(element: _Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    _replace_with_text(element, "")
    # A notes list left empty goes too, with a lone wrapper around it.
    while parent is not None and parent.tag in ("ol", "ul", "section", "div", "aside") and not parent.text_content().strip():
        grand = parent.getparent()
        if grand is None:
            break
        _replace_with_text(parent, "")
        parent = grand


def to_blocks(root: _Element) -> list[str]:
    """Markdown blocks (headings, paragraphs, lists, tables, quotes) of an HTML tree."""
    blocks: list[str] = []
    _walk(root, blocks)
    return [block for block in blocks if block.strip()]


def _walk(element: _Element, blocks: list[str]) -> None:
    if element.text and element.text.strip() and element.tag not in ("html", "body"):
        blocks.append(escape_start(_clean(element.text)))
    for child in element:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag.lower()
        if tag in HEADINGS:
            blocks.append("#" * HEADINGS[tag] + " " + inline(child).strip())
        elif tag in ("p", "figcaption"):
            blocks.append(escape_start(inline(child).strip()))
        elif tag in ("ul", "ol"):
            blocks.append(_list(child, ordered=tag == "ol"))
        elif tag == "table":
            blocks.append(_table(child))
        elif tag == "blockquote":
            inner: list[str] = []
            _walk(child, inner)
            blocks.append("\n>\n".join("> " + block.replace("\n", "\n> ") for block in inner))
        elif tag == "pre":
            blocks.append("```\n" + child.text_content().rstrip() + "\n```")
        elif tag in ("script", "style", "noscript", "nav", "form", "button", "hr", "img", "iframe"):
            pass
        else:
            _walk(child, blocks)
        if child.tail and child.tail.strip():
            blocks.append(escape_start(_clean(child.tail)))


def _list(element: _Element, ordered: bool) -> str:
    """A Markdown list; an ordered list keeps its numbering (``start``, ``value``), an item's
    paragraphs stay apart (indented under the item)."""
    lines = []
    try:
        number = int(element.get("start") or 1)
    except ValueError:
        number = 1
    for item in (li for li in element if li.tag == "li"):
        try:
            number = int(item.get("value")) if item.get("value") else number
        except ValueError:
            pass
        marker = f"{number}. " if ordered else "- "
        number += 1
        nested = [child for child in item if child.tag in ("ul", "ol")]
        for child in nested:
            item.remove(child)
        paragraphs = _paragraphs(item)
        lines.append(marker + escape_start(paragraphs[0] if paragraphs else ""))
        lines += ["", *("    " + paragraph for paragraph in paragraphs[1:])] if len(paragraphs) > 1 else []
        for child in nested:
            lines.append("\n".join("    " + line for line in _list(child, child.tag == "ol").split("\n")))
    return "\n".join(lines)


def _paragraphs(element: _Element) -> list[str]:
    """An element's text as paragraphs: one per ``<p>``/``<div>`` child, inline content otherwise."""
    if not any(isinstance(child.tag, str) and child.tag in ("p", "div", "ul", "ol") for child in element):
        return [inline(element).strip()]
    parts: list[str] = []
    blocks: list[str] = []
    _walk(element, blocks)
    parts += [block.replace("\n", " ") if not block.startswith(("- ", "1. ")) else block for block in blocks]
    return [part for part in parts if part.strip()] or [inline(element).strip()]


def _cell(cell: _Element) -> str:
    """A table cell: several paragraphs or a list keep their breaks as ``<br>`` (a cell is one line)."""
    if not any(isinstance(child.tag, str) and child.tag in ("p", "div", "ul", "ol", "br") for child in cell):
        return inline(cell).strip()
    blocks: list[str] = []
    _walk_cell(cell, blocks)
    return "<br>".join(block for block in blocks if block.strip())


def _walk_cell(element: _Element, out: list[str]) -> None:
    current = [_escape(element.text or "")]
    for child in element:
        if not isinstance(child.tag, str):
            current.append(_escape(child.tail or ""))
            continue
        if child.tag in ("p", "div", "ul", "ol", "li", "br"):
            out.append(_SPACES.sub(" ", "".join(current)).strip())
            current = []
            if child.tag in ("ul", "ol"):
                for index, item in enumerate((li for li in child if li.tag == "li"), start=1):
                    out.append((f"{index}. " if child.tag == "ol" else "- ") + inline(item).strip())
            elif child.tag != "br":
                _walk_cell(child, out)
        else:
            current.append(_inline_child(child))
        current.append(_escape(child.tail or ""))
    out.append(_SPACES.sub(" ", "".join(current)).strip())


def _table(element: _Element) -> str:
    rows = [[_cell(cell) for cell in row if cell.tag in ("td", "th")] for row in element.iter("tr")]
    rows = [row for row in rows if row]
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def inline(element: _Element) -> str:
    """Markdown of an element's inline content: emphasis, links, line breaks."""
    parts = [_escape(element.text or "")]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(_inline_child(child))
        parts.append(_escape(child.tail or ""))
    return _SPACES.sub(" ", "".join(parts))


def _inline_child(child: _Element) -> str:
    tag = child.tag.lower()
    inner = inline(child)
    if not inner.strip() and tag not in ("br",):
        return inner
    if tag in ("em", "i", "cite"):
        return _wrap(inner, "*")
    if tag in ("strong", "b"):
        return _wrap(inner, "**")
    if tag in ("sup", "sub"):
        # Raw HTML, which Markdown passes through and the site's sanitizer allows: 10<sup>6</sup> stays 10⁶.
        return _wrap(inner, f"<{tag}>", f"</{tag}>")
    if tag == "br":
        return " "
    if tag == "a":
        href = (child.get("href") or "").strip()
        if not href or href.startswith("#") or href.lower().startswith("javascript:") or href == inner.strip():
            return inner
        # Spaces inside the link text belong outside it: "<a>attack </a>and" is "[attack](…) and".
        return _wrap(inner, "[", f"]({href.replace(' ', '%20').replace(')', '%29')})")
    if tag == "code":
        return f"`{child.text_content()}`"
    if tag in ("script", "style"):
        return ""
    return inner


def _wrap(text: str, mark: str, close: str | None = None) -> str:
    stripped = text.strip()
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return f"{lead}{mark}{stripped}{mark if close is None else close}{trail}"


_LINK_LIKE = re.compile(r"\[(?![0-9]+\])|(?<!\[[0-9])(?<!\[[0-9]{2})(?<!\[[0-9]{3})(?<!\[[0-9]{4})\]")
"""Brackets that could make a link or a footnote; a ``[12]`` stays as written (it may be a note marker)."""
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def _escape(text: str) -> str:
    """Text from HTML is text: keep it from being read as Markdown or raw HTML.

    ``*``, backticks, ``_`` at a word edge (``_x_``), brackets that could make
    ``[x](y)``, ``|`` (a table), ``<`` and ``&`` before an entity are escaped;
    "snake_case" and a ``[12]`` note marker are left alone.
    """
    text = text.replace("\\", "\\\\").replace("*", "\\*").replace("`", "\\`").replace("<", "&lt;")
    text = _ENTITY.sub("&amp;", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    text = _LINK_LIKE.sub(lambda match: "\\" + match.group(0), text)
    return text.replace("|", "\\|")


_BLOCK_START = re.compile(r"^(?:(#{1,6})(?=\s|$)|(\d{1,9})([.)])(?=\s|$)|([-+])(?=\s|$)|(>)|(=+|-{2,})\s*$)")


def escape_start(text: str) -> str:
    """A paragraph whose text begins like a heading, list item or quote ("# 1", "1. ", "- ", ">") stays a
    paragraph: its first mark is escaped."""
    match = _BLOCK_START.match(text)
    if not match:
        return text
    if match.group(2):
        return f"{match.group(2)}\\{match.group(3)}{text[match.end():]}"
    return "\\" + text


def _clean(text: str) -> str:
    return _SPACES.sub(" ", _escape(text)).strip()


_PROLOG = re.compile(r"\A\ufeff?\s*<\?xml[^>]*\?>", re.I)
MAX_DEPTH = 120
"""Deeper elements are unwrapped (their text kept in place): the converter walks the tree recursively,
and libxml2 on its own would silently drop everything after the 256th level."""


def parse(html_text: str, path: Path | str, removed: Counter[str] | None = None,
          notices: list[str] | None = None) -> _Element:
    """The page's tree, with control characters out of its text, tails and attributes.

    They go before lxml sees the string (it refuses some outright) and again
    after, since character references (``&#8;``) put them back; a tree
    holding one cannot be edited (lxml raises ValueError) nor written as XML.
    Nesting deeper than ``MAX_DEPTH`` is flattened, and said in ``notices``.
    """
    removed = Counter() if removed is None else removed
    # An XML prolog with an encoding makes lxml refuse a str (ValueError); the text is already decoded.
    html_text = clean_source(_PROLOG.sub("", html_text, count=1), removed)
    try:
        try:
            root = lxml_html.document_fromstring(html_text, parser=lxml_html.HTMLParser(huge_tree=True))
        except ValueError:  # a prolog naming an encoding that the pattern above did not recognise (unclosed, odd)
            root = lxml_html.document_fromstring(html_text.encode("utf-8", "surrogateescape"), parser=lxml_html.HTMLParser(
                huge_tree=True, encoding="utf-8"))
    except etree.ParserError as exc:  # lxml's "Document is empty" and kin
        raise ArticleFormatError(path, f"no HTML content to read ({exc})") from None
    for element in root.iter():
        if element.text:
            element.text = clean_source(element.text, removed)
        if element.tail:
            element.tail = clean_source(element.tail, removed)
        if isinstance(element.tag, str):
            for key, value in element.attrib.items():
                cleaned = clean_source(value, removed)
                if cleaned != value:
                    element.set(key, cleaned)
    flattened, deepest = _flatten_deep(root)
    if deepest >= _PARSER_DEPTH and notices is not None:
        notices.append(f"{path}: the page nests elements {_PARSER_DEPTH:,}+ deep; the HTML parser stops there and "
                       "drops what follows, so the end of the page is missing: save it again or simplify it")
    elif flattened and notices is not None:
        notices.append(f"{path}: the page nests elements more than {MAX_DEPTH} deep; {flattened:,} deeper elements "
                       "were unwrapped (their text kept), check the formatting there")
    return root


_PARSER_DEPTH = 2040
"""libxml2's own limit (2048 levels with huge_tree, counting the parser's own frames)."""


def _flatten_deep(root: _Element) -> tuple[int, int]:
    """Unwrap elements deeper than ``MAX_DEPTH``; returns (how many, the deepest level seen)."""
    depth: dict[_Element, int] = {}
    deep = []
    for element in root.iter():
        parent = element.getparent()
        level = depth[element] = depth[parent] + 1 if parent is not None and parent in depth else 0
        if level > MAX_DEPTH:
            deep.append(element)
    for element in reversed(deep):
        if isinstance(element.tag, str):
            element.drop_tag()
        elif element.getparent() is not None:  # a comment or processing instruction: no text to keep
            _replace_with_text(element, "")
    return len(deep), max(depth.values(), default=0)
