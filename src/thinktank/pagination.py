"""Listings cut into pages of ``per_page`` articles: ``/analyses/``, ``/analyses/page/2/``, ...

A 1,000-article archive made ``/analyses/`` 1.4–2 MB of HTML and an author's
page 1.2 MB. The first page of a listing keeps its URL (the source page's);
page ``n`` ≥ 2 is a page of its own at ``<folder>/page/<n>.md`` beside it (for
``analyses/index.md``, ``analyses/page/2.md``; for ``authors/x.md``,
``authors/x/page/2.md``), which the plugin adds as a generated file in every
language's pass. Each page links the previous and next one (and says "Page 2
of 5" in its language). Pure functions: no MkDocs, no disk.
"""

from __future__ import annotations

import math
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from .ui_text import label
from .urls import anchor

T = TypeVar("T")

PER_PAGE = 20
"""Articles per listing page (the plugin's ``per_page`` option)."""


@dataclass(frozen=True)
class Position:
    """Which page of a listing a page is: ``number`` of ``count`` (1 of 1 for a listing that fits one page)."""

    base: str
    """The source page's docs/ path (``analyses/index.md``): its catalog, markers and first page."""
    number: int = 1
    count: int = 1


def page_count(items: int, per_page: int = PER_PAGE) -> int:
    return max(1, math.ceil(items / per_page))


def page_uri(base: str, number: int) -> str:
    """The docs/ path of page ``number`` of the listing on ``base``; page 1 is ``base`` itself."""
    if number <= 1:
        return base
    folder = posixpath.dirname(base) if posixpath.basename(base) == "index.md" else base.removesuffix(".md")
    return posixpath.join(folder, "page", f"{number}.md")


def pages_of(base: str, items: int, per_page: int = PER_PAGE) -> list[Position]:
    """Every page of a listing of ``items`` on ``base``, the first included."""
    count = page_count(items, per_page)
    return [Position(base, number, count) for number in range(1, count + 1)]


def window(items: Sequence[T], position: Position, per_page: int = PER_PAGE) -> Sequence[T]:
    """The items page ``position`` shows."""
    start = (position.number - 1) * per_page
    return items[start:start + per_page]


def neighbours(position: Position) -> tuple[str | None, str | None]:
    """The docs/ paths of the previous and next page (None at either end)."""
    before = page_uri(position.base, position.number - 1) if position.number > 1 else None
    after = page_uri(position.base, position.number + 1) if position.number < position.count else None
    return before, after


def pager(position: Position, lang: str) -> str:
    """The navigation below a listing page: previous, "Page 2 of 5", next; empty for a one-page listing."""
    if position.count <= 1:
        return ""
    here = page_uri(position.base, position.number)
    before, after = neighbours(position)
    parts = []
    if before:
        parts.append(anchor(here, before, f"← {label('previous_page', lang)}", css="tt-prev", rel="prev"))
    parts.append(label("page_of", lang, page=str(position.number), pages=str(position.count)))
    if after:
        parts.append(anchor(here, after, f"{label('next_page', lang)} →", css="tt-next", rel="next"))
    return f'<nav class="tt-pager">\n<p>{" · ".join(parts)}</p>\n</nav>'



