"""Markdown ⇄ segments: one walker finds the translatable leaves of a page, and
the same walker puts translations back.

A segment is the Markdown source of one leaf block (heading, paragraph, list
item, quote, table cell, footnote definition, admonition title or body) with
its container prefix ("- ", "> ", "[^1]: ", indentation) stripped, plus the
translatable front-matter fields. Rendering replaces exactly those lines and
keeps every prefix, so a translated page has the structure of its source:
same headings, lists, footnote numbers and link targets.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

FOOTNOTE_REF = re.compile(r"\[\^[^\]\s]+\]")
"""A footnote reference (``[^3]``, ``[^note]``): the one pattern every module uses."""
WORDS_PER_MINUTE = 200

TRANSLATABLE_META = ("title", "summary", "description")
"""Front-matter fields that are text for readers; every other key stays as is."""

Lookup = Callable[[str], "str | None"]


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    """The msgid: Markdown source of the leaf, container prefixes stripped."""
    kind: str
    """heading, paragraph, list_item, quote, table_cell, footnote, admonition, admonition_title, or meta."""
    location: str
    """Body line (1-based, counting from the first body line) or front-matter key."""
    note: str | None = None
    """The label of the footnote this text belongs to (``"3"`` for ``[^3]: …``)."""
    cites: bool = False
    """The importer recorded this note as a citation (its ``notes:`` front matter): labels only are localised."""


@dataclass(frozen=True, slots=True)
class _Slot:
    segment: Segment
    start: int
    end: int
    cell: int | None = None


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from mdit_py_plugins.admon import admon_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    return MarkdownIt("commonmark").enable("table").use(footnote_plugin).use(admon_plugin)


# --- The walker -----------------------------------------------------------------

def _slots(body: str) -> Iterator[_Slot]:
    """Every translatable leaf of ``body`` in document order (footnotes last, as parsed)."""
    tokens = _parser().parse(body)
    containers: list[str] = []
    cells: dict[int, int] = {}
    note: str | None = None
    for index, token in enumerate(tokens):
        if token.type == "footnote_open":
            note = str(token.meta.get("label")) if token.meta else None
        elif token.type == "footnote_close":
            note = None
        if token.nesting == 1 and token.type.endswith("_open"):
            containers.append(token.type.removesuffix("_open"))
        elif token.nesting == -1 and containers:
            containers.pop()
        if token.type == "tr_open":
            cells = {}
        if token.type != "inline" or token.map is None:
            continue
        kind = _kind(containers, tokens[index - 1])
        start, end = token.map
        cell = None
        if kind == "table_cell":  # empty cells count too: they are columns of the row
            cell = cells[start] = cells.get(start, -1) + 1
        if not token.content.strip():
            continue
        yield _Slot(Segment(token.content.strip(), kind, str(start + 1), note if kind == "footnote" else None),
                    start, end, cell)


def _kind(containers: list[str], opener: Token) -> str:
    if opener.type == "heading_open":
        return "heading"
    if opener.type in ("th_open", "td_open"):
        return "table_cell"
    if opener.type == "admonition_title_open":
        return "admonition_title"
    for name, kind in (("footnote", "footnote"), ("admonition", "admonition"), ("list_item", "list_item"),
                       ("blockquote", "quote")):
        if name in containers:
            return kind
    return "paragraph"


# --- Extraction and rendering (both built on _slots) ------------------------------------

def body_segments(body: str) -> list[Segment]:
    return [slot.segment for slot in _slots(body)]


def meta_segments(meta: dict[str, Any]) -> list[Segment]:
    """The translatable front-matter fields; a NUL (YAML's ``"\\0"``) reads as U+FFFD, as in the body."""
    return [Segment(_meta_text(meta[key]), "meta", key) for key in TRANSLATABLE_META
            if isinstance(meta.get(key), str) and _meta_text(meta[key])]


def _meta_text(value: str) -> str:
    return value.replace("\x00", "\ufffd").strip()


def page_segments(meta: dict[str, Any], body: str) -> list[Segment]:
    """Front-matter fields first, then the body's leaves in order."""
    return meta_segments(meta) + body_segments(body)


def substitute_meta(meta: dict[str, Any], lookup: Lookup) -> dict[str, Any]:
    """A copy of ``meta`` with each translatable field replaced by ``lookup(field)``; None keeps it."""
    result = dict(meta)
    for segment in meta_segments(meta):
        result[segment.location] = lookup(segment.text) or meta[segment.location]
    return result


def substitute(body: str, lookup: Lookup) -> str:
    """``body`` with every segment replaced by ``lookup(segment)``; None keeps the source."""
    return _substitute(body, list(_slots(body)), lookup)


@dataclass(frozen=True)
class Substituted:
    meta: dict[str, Any]
    body: str
    segments: list[Segment]
    """The source page's segments, front matter first (what the substitution looked up)."""


def substitute_page(meta: dict[str, Any], body: str, lookup: Lookup) -> Substituted:
    """Front matter and body substituted, with the source's segments, from one parse of the body."""
    return _substitute_page(meta, body, list(_slots(body)), lookup)


def _substitute_page(meta: dict[str, Any], body: str, slots: Sequence[_Slot], lookup: Lookup) -> Substituted:
    return Substituted(substitute_meta(meta, lookup), _substitute(body, slots, lookup),
                       meta_segments(meta) + [slot.segment for slot in slots])


class Parses:
    """Pages' parses kept by page, so that a build parses each English page once.

    The site build reads every article for the listings (its first paragraph, its reading time),
    then renders it in each other language from the same English source: three markdown-it parses
    of the same text at 1,000 articles cost 2 s. A parse is kept under the page's uri with a digest
    of the body it was made from, and reused only for that page and that body: a page edited in
    between, or another page with the same text, is parsed on its own (so a benchmark archive of
    repeated bodies measures what a real one gets). What is kept is the slots (the segments and
    their line ranges, a few kilobytes a page), not the body.

    Line ends at the end of the body do not count: they change no leaf or line range (a paragraph,
    cell or heading ends at its last text line), and mkdocs-static-i18n's ``on_page_markdown``, which
    runs before the thinktank plugin's, joins the page's lines again without the final one.
    """

    def __init__(self) -> None:
        self._kept: dict[str, tuple[bytes, tuple[_Slot, ...]]] = {}
        self.parsed = 0
        """How many bodies were parsed (the rest were found): what the one-parse guarantee is tested by."""

    def _slots(self, uri: str, body: str) -> tuple[_Slot, ...]:
        digest = _body_digest(body)
        kept = self._kept.get(uri)
        if kept is not None and kept[0] == digest:
            return kept[1]
        slots = tuple(_slots(body))
        self.parsed += 1
        self._kept[uri] = (digest, slots)
        return slots

    def kept(self, uri: str) -> list[Any] | None:
        """Page ``uri``'s parse as plain JSON data (its body's digest and its slots), for a later build
        (:mod:`thinktank.build_cache`); None when it has none."""
        kept = self._kept.get(uri)
        if kept is None:
            return None
        digest, slots = kept
        return [digest.hex(), [[slot.segment.text, slot.segment.kind, slot.segment.location, slot.segment.note,
                                slot.segment.cites, slot.start, slot.end, slot.cell] for slot in slots]]

    def keep(self, uri: str, kept: list[Any]) -> None:
        """A parse of page ``uri`` an earlier build made (:meth:`kept`): used only for a body of that digest."""
        digest, slots = kept
        self._kept[uri] = (bytes.fromhex(digest), tuple(_Slot(Segment(text, kind, location, note, cites), start, end,
                                                                 cell)
                                                           for text, kind, location, note, cites, start, end, cell
                                                           in slots))

    def texts(self, uri: str) -> dict[str, str]:
        """The segment texts of page ``uri``'s kept parse, each by itself (empty when none is kept), so that a
        table keyed by the same msgids can share these strings rather than hold copies."""
        kept = self._kept.get(uri)
        return {slot.segment.text: slot.segment.text for slot in kept[1]} if kept is not None else {}

    def body_segments(self, uri: str, body: str) -> list[Segment]:
        """:func:`body_segments` of page ``uri``."""
        return [slot.segment for slot in self._slots(uri, body)]

    def substitute_page(self, uri: str, meta: dict[str, Any], body: str, lookup: Lookup) -> Substituted:
        """:func:`substitute_page` of page ``uri``."""
        return _substitute_page(meta, body, self._slots(uri, body), lookup)


def _body_digest(body: str) -> bytes:
    return hashlib.blake2b(body.rstrip("\n").encode("utf-8", "surrogatepass"), digest_size=16).digest()


def inline_markup(text: str) -> list[str]:
    """The inline markup of a segment as markdown-it reads it: links, strong, emphasis, code. QA
    compares source and translation by it, so a link or a ``**`` pair an engine turned inside out
    (``](url)text[``) is seen, though every token is still there (link targets are QA's links check)."""
    found = []
    for token in _parser().parseInline(text):
        for child in token.children or []:
            if child.type == "link_open":
                found.append("link")
            elif child.type in ("strong_open", "em_open"):
                found.append(child.type.removesuffix("_open").replace("em", "emphasis"))
            elif child.type == "code_inline":
                found.append(f"code {child.content!r}")
    return found


def first_paragraph(body: str) -> str:
    """The msgid of the body's first plain paragraph (not a heading, quote, list or note): what an
    excerpt is made from, and what its translation is looked up by."""
    return first_paragraph_of(body_segments(body))


def first_paragraph_of(segments: Iterable[Segment]) -> str:
    """:func:`first_paragraph` of segments already at hand."""
    return next((segment.text for segment in segments if segment.kind == "paragraph"), "")


def reading_minutes(body: str) -> int:
    """Minutes a reader needs for the running text: every segment but notes, without markup."""
    return minutes_of(body_segments(body))


def minutes_of(segments: Iterable[Segment]) -> int:
    """:func:`reading_minutes` of segments already at hand (a page's parse is not repeated for it)."""
    words = sum(len(_WORD.findall(_plain(segment.text))) for segment in segments
                if segment.kind not in ("footnote", "meta"))
    return max(1, round(words / WORDS_PER_MINUTE))


_WORD = re.compile(r"\w+")


_MARKUP = re.compile(r"\]\([^)]*\)|<[^>]+>")


def _plain(text: str) -> str:
    return _MARKUP.sub(" ", FOOTNOTE_REF.sub(" ", text))


def _substitute(body: str, slots: Sequence[_Slot], lookup: Lookup) -> str:
    lines = body.split("\n")
    for slot in reversed(slots):
        translation = lookup(slot.segment.text)
        if translation is None:
            continue
        if slot.cell is not None:
            lines[slot.start] = _replace_cell(lines[slot.start], slot.cell, translation)
        elif slot.segment.kind == "admonition_title":
            lines[slot.start] = _replace_title(lines[slot.start], slot.segment.text, translation)
        else:
            lines[slot.start:slot.end] = _reindent(lines[slot.start:slot.end], slot.segment.text, translation)
    return "\n".join(lines)


def _reindent(original: list[str], source: str, translation: str) -> list[str]:
    """Put ``translation`` in place of ``source`` keeping what surrounds it on its lines: the
    container prefixes ("> ", "- ", indentation), a closing ``##`` and trailing spaces."""
    first, last = original[0], original[-1]
    source_lines = source.split("\n")
    at = first.find(source_lines[0])
    prefix = first[:at] if at >= 0 else ""
    if len(source_lines) == 1:
        suffix = first[at + len(source_lines[0]):] if at >= 0 else ""
    else:
        end = last.rfind(source_lines[-1])
        suffix = last[end + len(source_lines[-1]):] if end >= 0 else ""
    if len(original) > 1:
        second = original[1]
        follow = second[: len(second) - len(second.lstrip(" >"))]
    else:
        follow = prefix if not prefix.strip(" >") else " " * len(prefix)
    out_lines = translation.split("\n")
    out = [prefix + out_lines[0]] + [follow + line for line in out_lines[1:]]
    out[-1] += suffix
    return out


_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def _replace_cell(row: str, index: int, translation: str) -> str:
    parts = _CELL_SPLIT.split(row)
    offset = 1 if row.lstrip().startswith("|") else 0
    cell = parts[index + offset]
    lead = cell[: len(cell) - len(cell.lstrip())]
    trail = cell[len(cell.rstrip()):]
    parts[index + offset] = f"{lead}{translation.replace('|', chr(92) + '|')}{trail}"
    return "|".join(parts)


def _replace_title(line: str, source: str, translation: str) -> str:
    """An admonition title in its quotes; a title the type implies (``!!! note``) is written out."""
    escaped = translation.replace('"', "'")
    if f'"{source}"' in line:
        return line.replace(f'"{source}"', f'"{escaped}"', 1)
    return line if translation == source else f'{line.rstrip()} "{escaped}"'

