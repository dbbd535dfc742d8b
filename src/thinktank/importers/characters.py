"""Invisible and control characters taken out of imported text, and reported.

A single ``\\x08`` from a PDF copy makes every RSS feed invalid XML, lxml
refuses such strings outright, and a bidi override or zero-width space in a
title reorders or hides what readers and search see. So every source format's
text goes through here: once as it arrives (before any parser sees it) and
once in ``assemble`` (titles, names and metadata get the stricter cleaning).
Characters that break lines become line breaks (or spaces inside a paragraph)
rather than vanishing, so no two words are ever glued into one.
"""

from __future__ import annotations

import re
from collections import Counter

_C0 = [chr(code) for code in range(0x20) if chr(code) not in "\t\n\r\x0b\x0c\x1c\x1d\x1e"]
_C1 = [chr(code) for code in range(0x7F, 0xA0) if code != 0x85]
_NONCHARACTERS = [chr(code) for code in range(0xFDD0, 0xFDF0)] + [
    chr(plane * 0x10000 + low) for plane in range(17) for low in (0xFFFE, 0xFFFF)]
_BIDI = [chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
"""Embeddings, overrides and isolates (not the LRM/RLM marks, which reorder nothing)."""
_LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028"
_PARAGRAPH_BREAK = "\u2029"
_ZERO_WIDTH = "\u200b\u2060\ufeff"
_JOINERS = "\u200c\u200d"
"""Persian, Indic and emoji text needs these inside words; only metadata loses them."""

_REMOVED = "".join(_C0 + _C1 + _NONCHARACTERS + _BIDI)


class _Finder:
    """``findall`` of one character class, fast: the regex engine checks a class of characters below
    U+10000 against a bitmap, but one holding a character beyond that against each of its members in
    turn (10× slower over a page). So the class's characters below U+10000 are one class, any character
    beyond is a second (a cheap range), and those are kept only if they are members."""

    def __init__(self, chars: str) -> None:
        self.chars = frozenset(chars)
        self.none_printable = not any(char.isprintable() for char in chars)
        low = "".join(char for char in chars if ord(char) < 0x10000)
        self.pattern = re.compile(f"[{re.escape(low)}]|[\U00010000-\U0010ffff]")

    def findall(self, text: str) -> list[str]:
        """The class's characters in ``text``, in order."""
        if self.none_printable and text.isprintable():  # most titles, names and paragraphs end here
            return []
        found = self.pattern.findall(text)
        return [char for char in found if char in self.chars] if found else found


_TEXT = _Finder(_REMOVED + _LINE_BREAKS + _PARAGRAPH_BREAK)
_META = _Finder(_REMOVED + _LINE_BREAKS + _PARAGRAPH_BREAK + _ZERO_WIDTH + _JOINERS + "\r\n\t")
_BLOCK_TABLE = {**{ord(char): None for char in _REMOVED}, **{ord(char): "\n" for char in _LINE_BREAKS},
                ord(_PARAGRAPH_BREAK): "\n\n"}
_INLINE_TABLE = {**_BLOCK_TABLE, **{ord(char): " " for char in _LINE_BREAKS + _PARAGRAPH_BREAK}}
_META_TABLE = {**_INLINE_TABLE, **{ord(char): None for char in _ZERO_WIDTH + _JOINERS},
               **{ord(char): " " for char in "\r\n\t"}}
_COUNTED_META = set(_REMOVED + _LINE_BREAKS + _PARAGRAPH_BREAK + _ZERO_WIDTH + _JOINERS)


def clean_source(text: str, removed: Counter[str]) -> str:
    """Text as it arrives (a dump, a page, a Word file's text): controls out, line separators as newlines."""
    return _cleaned(text, removed, _BLOCK_TABLE)


def clean_block(text: str, removed: Counter[str]) -> str:
    """A Markdown block or note: as :func:`clean_source`, but a line separator becomes a space.

    Inside a block a newline could end a table row or a list item; a space
    keeps the block's structure and the words apart.
    """
    return _cleaned(text, removed, _INLINE_TABLE)


def _cleaned(text: str, removed: Counter[str], table: dict[int, str | None]) -> str:
    found = _TEXT.findall(text)
    if not found:
        return text
    removed.update(found)
    return text.translate(table)


def clean_meta(text: str, removed: Counter[str]) -> str:
    """A title, name, publisher or other metadata: one line, no zero-width characters or joiners."""
    special = _META.findall(text)
    found = [char for char in special if char in _COUNTED_META]
    if found:
        removed.update(found)
    if not special:
        return text
    return " ".join(text.translate(_META_TABLE).split())


def describe(removed: Counter[str]) -> str:
    """``3 characters: U+0008 ×1, U+202E ×2`` — what a warning names."""
    total = sum(removed.values())
    listed = ", ".join(f"U+{ord(char):04X} ×{count}" for char, count in sorted(removed.items()))
    return f"{total} character{'s' if total != 1 else ''} ({listed})"
