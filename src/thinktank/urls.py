"""URL arithmetic of the built site: where a docs/ page ends up and how pages of two languages link.

The site uses MkDocs' directory URLs (``analyses/x.md`` is served at
``analyses/x/``) and mkdocs-static-i18n's layout: the default language at the
root, every other language under ``<lang>/``, and, with its ``suffix`` docs
structure, a page's translation in ``x.<lang>.md`` beside ``x.md``. These
rules are needed by the plugin (banner links, feeds, output folders) and by
tests; they are plain string functions so that neither needs MkDocs.
"""

from __future__ import annotations

import html

from .ui_text import DEFAULT


def source_uri(src_uri: str) -> str:
    """The docs/ path without a language suffix (``x.tr.md`` -> ``x.md``), as catalogs and the library key pages.

    A suffix is two letters between the last two dots of the file name; a dot
    in a folder name is not a suffix.
    """
    stem, _, ext = src_uri.rpartition(".")
    base, dot, suffix = stem.rpartition(".")
    if dot and len(suffix) == 2 and "/" not in suffix:
        return f"{base}.{ext}"
    return src_uri


def page_path(uri: str) -> str:
    """The directory URL of a page, relative to its language root (``analyses/x.md`` -> ``analyses/x/``, ``index.md`` -> ``""``)."""
    stem = uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


def relative_url(from_uri: str, to_uri: str) -> str:
    """The link from page ``from_uri`` to page ``to_uri`` (docs/ paths) as MkDocs writes a ``.md`` link with
    directory URLs: ``analyses/a.md`` to ``authors/b.md`` is ``../../authors/b/``. Both pages are in the same
    language's folder, so the link is the same in every language. (Plain list arithmetic: a listing page
    makes dozens of links and ``posixpath.relpath`` cost a second of a 1,000-article build.)"""
    here, there = page_path(from_uri).split("/")[:-1], page_path(to_uri).split("/")[:-1]
    common = 0
    while common < len(here) and common < len(there) and here[common] == there[common]:
        common += 1
    down = "".join(part + "/" for part in there[common:])
    return "../" * (len(here) - common) + down or "./"


def anchor(from_uri: str, to_uri: str, shown: str, fragment: str = "", css: str = "", rel: str = "") -> str:
    """``<a>`` from the page ``from_uri`` to the page ``to_uri`` (both docs/ paths), as the site's own fragments
    write it (listings, bylines, pagers); ``shown`` is HTML, already escaped."""
    target = relative_url(from_uri, to_uri) + (f"#{fragment}" if fragment else "")
    before = f' class="{css}"' if css else ""
    after = f' rel="{rel}"' if rel else ""
    return f'<a{before} href="{html.escape(target, quote=True)}"{after}>{shown}</a>'


def language_prefix(lang: str, default: str = DEFAULT) -> str:
    """The folder of a language under the site root: ``""`` for the default language, else ``"<lang>/"``."""
    return "" if lang == default else f"{lang}/"


def language_root(site_url: str | None, lang: str, default: str = DEFAULT) -> str:
    """The absolute URL of a language's home page (``https://example.org/tr/``); ``/`` stands for a missing site_url."""
    return (site_url or "/").rstrip("/") + "/" + language_prefix(lang, default)


def original_url(page_url: str, lang: str) -> str:
    """Relative URL from a page of ``lang`` (its URL from the site root, ``tr/analyses/x/``) to the same page in the default language."""
    return "../" * page_url.count("/") + page_url.removeprefix(f"{lang}/") or "./"
