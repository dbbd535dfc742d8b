"""Inline markup shielded from the MT engine: one placeholder token per occurrence.

Footnote refs, link targets, inline code, HTML tags, attribute lists and
emphasis markers become ``⟦n⟧`` tokens before translation and are put back
after; glossary terms become tokens that restore to their target form. What
the engine lost is reported, and footnote refs it lost are appended so the
page keeps every note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .segments import FOOTNOTE_REF

TOKEN = re.compile(r"⟦\s*(\d+)\s*⟧")
_MARKUP = re.compile(
    rf"(?P<ref>{FOOTNOTE_REF.pattern})"
    r"|(?P<code>`+[^`]*`+)"
    r"|(?P<target>\]\([^)\s]*(?:\s+\"[^\"]*\")?\)(?:\{[^}]*\})?)"
    r"|(?P<open>\[)(?=[^\]]*\]\()"
    r"|(?P<html><[^>\n]+>)"
    r"|(?P<attrs>\{\s*[.#:][^}]*\})"
    r"|(?P<url>https?://[^\s<>()\[\]]+)"
    r"|(?P<emph>\*\*|__|\*)"
)


@dataclass
class Protected:
    text: str
    """The source with markup replaced by tokens."""
    tokens: dict[int, str] = field(default_factory=dict)
    """Token number → what it restores to."""
    refs: dict[int, str] = field(default_factory=dict)
    """The subset of tokens that are footnote refs."""


def protect(text: str, terms: dict[str, str] | None = None) -> Protected:
    """Replace markup (and glossary ``terms``: source → target form) with numbered tokens."""
    result = Protected(text="")
    pieces: list[str] = []
    position = 0
    spans = _term_spans(text, terms or {}) + [
        (m.start(), m.end(), m.group(0), m.lastgroup == "ref") for m in _MARKUP.finditer(text)]
    for start, end, replacement, is_ref in _non_overlapping(spans):
        number = len(result.tokens) + 1
        pieces.append(text[position:start])
        pieces.append(f"⟦{number}⟧")
        result.tokens[number] = replacement
        if is_ref:
            result.refs[number] = replacement
        position = end
    pieces.append(text[position:])
    result.text = "".join(pieces)
    return result


def _term_spans(text: str, terms: dict[str, str]) -> list[tuple[int, int, str, bool]]:
    spans = []
    for source in sorted(terms, key=len, reverse=True):
        for match in re.finditer(rf"(?<!\w){re.escape(source)}(?!\w)", text):
            spans.append((match.start(), match.end(), terms[source], False))
    return spans


def _non_overlapping(spans: list[tuple[int, int, str, bool]]) -> list[tuple[int, int, str, bool]]:
    chosen: list[tuple[int, int, str, bool]] = []
    last_end = -1
    for span in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if span[0] >= last_end:
            chosen.append(span)
            last_end = span[1]
    return chosen


def restore(translated: str, protected: Protected) -> tuple[str, list[str]]:
    """Put markup back; returns (text, problems). Lost footnote refs are appended."""
    seen: set[int] = set()

    def put_back(match: re.Match[str]) -> str:
        number = int(match.group(1))
        if number not in protected.tokens or number in seen:
            return ""
        seen.add(number)
        return protected.tokens[number]

    text = TOKEN.sub(put_back, translated)
    text = re.sub(r"[ \t]{2,}", " ", text).strip()
    problems = []
    lost = [number for number in protected.tokens if number not in seen]
    if lost:
        problems.append("engine lost markup: " + ", ".join(repr(protected.tokens[n]) for n in lost))
    lost_refs = [protected.refs[n] for n in lost if n in protected.refs]
    if lost_refs:
        text = text + "".join(lost_refs)
    return text, problems
