"""Author names and the authors registry (one Markdown page per person).

The registry lives in ``docs/authors/<id>.md``: front matter ``title`` (display
name) and ``affiliation``, the biography as the page body. Being ordinary pages,
entries get an author page on the site and are translated like any page.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from . import frontmatter
from .models import Author
from .slugs import slugify

REGISTRY_DIR = "authors"
_TURKISH_LETTERS = set("ÇĞİŞçğış")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def lower(text: str, locale: str | None) -> str:
    """Lowercase with the Turkish dotted/dotless i rules when ``locale`` is "tr"."""
    if locale == "tr":
        text = text.replace("I", "ı").replace("İ", "i")
    return text.lower()


def casing_locale(name: str, default: str | None = None) -> str | None:
    """The locale whose case rules fit ``name``: Turkish when its letters say so."""
    return "tr" if _TURKISH_LETTERS & set(name) else default


def normalise_name(name: str, locale: str | None = None) -> str:
    """Recase words that arrive SHOUTED ("GÜLTEN" -> "Gülten"); leave mixed case alone.

    Turkish rules apply when ``locale`` is "tr" or the name holds a letter only
    Turkish uses, so "IŞIK" becomes "Işık" and never "Işik".
    """
    name = " ".join(name.split())
    locale = casing_locale(name, locale)

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) < 2 or not word.isupper():
            return word
        return word[0] + lower(word[1:], locale)

    return _WORD.sub(fix, name)


def author_id(name: str) -> str:
    """Registry id of a person: the ASCII slug of the display name."""
    return slugify(name)


def page_uri(author_id: str) -> str:
    """The docs/-relative path of an author's registry page (and site page)."""
    return f"{REGISTRY_DIR}/{author_id}.md"


def registry_path(docs_dir: Path, author: Author) -> Path:
    return docs_dir / page_uri(author.id)


def render_entry(author: Author) -> str:
    """The registry page of one author."""
    meta = {"title": author.name}
    if author.affiliation:
        meta["affiliation"] = author.affiliation
    return frontmatter.dump(meta, author.bio)


def load_author(path: Path) -> Author:
    meta, body = frontmatter.read(path)
    return Author(
        id=path.stem,
        name=str(meta.get("title") or path.stem),
        affiliation=str(meta.get("affiliation") or ""),
        bio=body.strip(),
    )


def load_registry(docs_dir: Path) -> dict[str, Author]:
    """Every author of the registry, by id."""
    folder = docs_dir / REGISTRY_DIR
    if not folder.is_dir():
        return {}
    return {
        path.stem: load_author(path)
        for path in sorted(folder.glob("*.md"))
        if path.name != "index.md" and "." not in path.stem
    }


def merge_entry(existing: Author | None, incoming: Author, force: bool) -> tuple[Author | None, str]:
    """Decide what to write for ``incoming``; returns (entry to write or None, note).

    The registry is the editors': a name or affiliation they corrected stays,
    an empty bio is filled in (that adds and loses nothing), and a different
    bio replaces theirs only with ``force``. An empty incoming bio never erases one.
    """
    if existing is None:
        return incoming, ""
    if not incoming.bio or incoming.bio == existing.bio:
        return None, ""
    if existing.bio and not force:
        return None, "registry entry kept; the bio in this file differs (use --force to replace it)"
    return replace(existing, bio=incoming.bio), ""
