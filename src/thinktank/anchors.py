"""Heading anchors readers of every language can read: ``#vyvody``, ``#sonuc``, not ``#_1``.

Python-Markdown's default ``toc`` slugify keeps only ASCII after NFKD, so a
Russian heading has no letters left (MkDocs then numbers it ``_1``) and a
Turkish one loses its ``ı``. :func:`slugify` transliterates first, with the
tables page slugs use (:func:`thinktank.slugs.transliterate`: Turkish and
Russian by our tables, any other script by anyascii), then applies the
default rule unchanged, so an ASCII heading (every English one) keeps exactly
the anchor it had: links into English pages stay valid.

``mkdocs.yml`` names it: ``toc: slugify: !!python/name:thinktank.anchors.slugify``.

A translated page's headings have their own anchors, but its links keep the
source's targets (translators must not change them): :func:`retarget_links`
points links at an English anchor to the translation's.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import markdown
from markdown.extensions.toc import slugify as markdown_slugify

from .segments import FOOTNOTE_REF
from .slugs import transliterate


def slugify(value: str, separator: str) -> str:
    """The ``toc`` extension's slug of a heading's text, transliterated to ASCII first when it is not ASCII."""
    return markdown_slugify(value if value.isascii() else transliterate(value), separator)


def heading_ids(headings: list[str], slug: Callable[[str, str], str] = slugify, separator: str = "-") -> list[str]:
    """The anchors Python-Markdown gives these headings (Markdown source, in page order), as on the page:
    explicit ``{ #id }`` kept, repeated ones numbered ``_1``, ``_2`` by the ``toc`` extension itself."""
    if not headings:
        return []
    md = markdown.Markdown(extensions=["attr_list", "toc"],
                           extension_configs={"toc": {"slugify": slug, "separator": separator}})
    md.convert("\n\n".join("# " + FOOTNOTE_REF.sub("", text).replace("\n", " ") for text in headings))
    return [token["id"] for token in _flat(md.toc_tokens)]  # type: ignore[attr-defined]


def _flat(tokens: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for token in tokens:
        yield token
        yield from _flat(token.get("children", []))


@dataclass(frozen=True)
class Retargets:
    """One translated page's anchors: the English anchor → the translation's, and every anchor it has."""

    moved: dict[str, str]
    ids: frozenset[str]


def retargets(source: list[str], translated: list[str]) -> Retargets:
    """What became of each English heading's anchor in a translation with the same headings in the same
    order (a translation keeps every block's kind: :func:`thinktank.segments.substitute_page`)."""
    moved = {english: other for english, other in zip(source, translated, strict=False)
             if english != other and english not in translated}
    return Retargets(moved, frozenset(translated))


_HREF = re.compile(r'(\shref=")([^"#]*)#([^"]+)(")')


def retarget_links(html: str, page_url: str, pages: Mapping[str, Retargets]) -> str:
    """Links to an English heading anchor (``#conclusions``), on this page or another of the same language,
    pointed at the translation's anchor (``#vyvody``).

    Translators keep link targets as the source has them (QA refuses a changed
    one), but a translated heading has its own anchor. ``pages`` maps a page's
    URL (as MkDocs gives it, ``ru/about/``) to its :class:`Retargets`; a link
    to an anchor the target page does have is left alone.
    """
    by_key = {_page_key(url): target for url, target in pages.items()}

    def fix(match: re.Match[str]) -> str:
        path, fragment = match.group(2), match.group(3)
        target = by_key.get(_page_key(page_url if not path else _resolve(page_url, path)))
        if target is None or fragment in target.ids or fragment not in target.moved:
            return match.group(0)
        return f"{match.group(1)}{path}#{target.moved[fragment]}{match.group(4)}"

    return _HREF.sub(fix, html)


def _resolve(page_url: str, path: str) -> str:
    """The URL ``path`` (relative, as MkDocs writes links) leads to from the page at ``page_url``."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:|^[/\\]", path):
        return ""  # another site, or a root-relative URL: not a page link MkDocs wrote
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    return posixpath.normpath(posixpath.join(base or ".", path))


def _page_key(url: str) -> str:
    url = url.removesuffix("index.html").strip("/")
    return "" if url == "." else url
