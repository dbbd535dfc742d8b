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
from collections.abc import Callable, Iterator, Mapping, MutableMapping
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
_HREF_TEXT = 'href="'
"""What every :data:`_HREF` match holds after its first character: found with ``str.find``, five times faster than
letting the regex try each whitespace of the page."""
_NOT_A_PAGE_LINK = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^[/\\]")


class PassAnchors(MutableMapping[str, Retargets]):
    """One language pass's :class:`Retargets` by page URL, as :func:`retarget_links` takes them.

    A plain mapping works too, but then every page's call keys every entry
    anew (linear in the pages with moved anchors, so quadratic over a pass);
    this one keeps that table until an entry changes.
    """

    def __init__(self) -> None:
        self._by_url: dict[str, Retargets] = {}
        self._by_key: dict[str, Retargets] | None = None

    def __getitem__(self, url: str) -> Retargets:
        return self._by_url[url]

    def __setitem__(self, url: str, value: Retargets) -> None:
        self._by_url[url] = value
        self._by_key = None

    def __delitem__(self, url: str) -> None:
        del self._by_url[url]
        self._by_key = None

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_url)

    def __len__(self) -> int:
        return len(self._by_url)

    def by_key(self) -> dict[str, Retargets]:
        if self._by_key is None:
            self._by_key = _keyed(self._by_url)
        return self._by_key


def _keyed(pages: Mapping[str, Retargets]) -> dict[str, Retargets]:
    """``pages`` by :func:`_page_key` of their URL (of two URLs with one key, the later entry wins)."""
    return {_page_key(url): target for url, target in pages.items()}


def retarget_links(html: str, page_url: str, pages: Mapping[str, Retargets]) -> str:
    """Links to an English heading anchor (``#conclusions``), on this page or another of the same language,
    pointed at the translation's anchor (``#vyvody``).

    Translators keep link targets as the source has them (QA refuses a changed
    one), but a translated heading has its own anchor. ``pages`` maps a page's
    URL (as MkDocs gives it, ``ru/about/``) to its :class:`Retargets` (best a
    :class:`PassAnchors`); a link to an anchor the target page does have is left alone.

    The links are those ``re.sub`` with :data:`_HREF` would find: each match
    starts one character before an ``href="``, at or after the end of the
    previous one, so trying those places in order finds the same matches.
    """
    if not pages:
        return html
    by_key = pages.by_key() if isinstance(pages, PassAnchors) else _keyed(pages)
    targets: dict[str, Retargets | None] = {}

    def target_of(path: str) -> Retargets | None:
        if path not in targets:
            targets[path] = by_key.get(_page_key(page_url if not path else _resolve(page_url, path)))
        return targets[path]

    pieces: list[str] = []
    done = 0
    at = html.find(_HREF_TEXT, 1)
    while at != -1:
        match = _HREF.match(html, at - 1)
        if match is None:
            at = html.find(_HREF_TEXT, at + 1)
            continue
        path, fragment = match.group(2), match.group(3)
        target = target_of(path)
        if target is not None and fragment not in target.ids and fragment in target.moved:
            pieces += [html[done:match.start()], f"{match.group(1)}{path}#{target.moved[fragment]}{match.group(4)}"]
            done = match.end()
        at = html.find(_HREF_TEXT, match.end() + 1)
    return "".join([*pieces, html[done:]]) if pieces else html


def _resolve(page_url: str, path: str) -> str:
    """The URL ``path`` (relative, as MkDocs writes links) leads to from the page at ``page_url``."""
    if _NOT_A_PAGE_LINK.match(path):
        return ""  # another site, or a root-relative URL: not a page link MkDocs wrote
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    return posixpath.normpath(posixpath.join(base or ".", path))


def _page_key(url: str) -> str:
    url = url.removesuffix("index.html").strip("/")
    return "" if url == "." else url
