"""Heading anchors readers of every language can read: ``#vyvody``, ``#sonuc``, not ``#_1``.

Python-Markdown's default ``toc`` slugify keeps only ASCII after NFKD, so a
Russian heading has no letters left (MkDocs then numbers it ``_1``) and a
Turkish one loses its ``ı``. :func:`slugify` transliterates first, with the
tables page slugs use (:func:`thinktank.slugs.transliterate`: Turkish and
Russian by our tables, any other script by anyascii), then applies the
default rule unchanged, so an ASCII heading (every English one) keeps exactly
the anchor it had: links into English pages stay valid.

``mkdocs.yml`` names it: ``toc: slugify: !!python/name:thinktank.anchors.slugify``.
"""

from __future__ import annotations

from markdown.extensions.toc import slugify as markdown_slugify

from .slugs import transliterate


def slugify(value: str, separator: str) -> str:
    """The ``toc`` extension's slug of a heading's text, transliterated to ASCII first when it is not ASCII."""
    return markdown_slugify(value if value.isascii() else transliterate(value), separator)
