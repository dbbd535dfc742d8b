"""Article pages on disk: ``docs/<section>/<slug>.md`` with YAML front matter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import frontmatter
from .errors import OutputError
from .footnotes import note_to_meta, render_definitions
from .models import Article
from .slugs import is_safe_part


def article_meta(article: Article) -> dict[str, Any]:
    """Front matter of an article, keys in a fixed order, empty values left out."""
    meta: dict[str, Any] = {"title": article.title}
    if article.date:
        meta["date"] = article.date
    meta["authors"] = [author.id for author in article.authors]
    if article.summary:
        meta["summary"] = article.summary
    if article.category:
        meta["categories"] = [article.category]
    if article.tags:
        meta["tags"] = list(article.tags)
    source: dict[str, Any] = {"file": article.source_file, "profile": article.profile}
    if article.publisher:
        source["publisher"] = article.publisher
    if article.source_encoding != "utf-8":
        source["encoding"] = article.source_encoding
    if article.url:
        source["url"] = article.url
    if article.language:
        source["language"] = article.language
    if article.languages:
        source["languages"] = list(article.languages)
    meta["source"] = source
    if article.footnotes:
        meta["notes"] = [note_to_meta(note) for note in article.footnotes]
    return meta


def render_article(article: Article) -> str:
    """The page text: front matter, paragraphs, then the footnote definitions."""
    body = "\n\n".join(article.body)
    if article.footnotes:
        body += "\n\n" + render_definitions(article.footnotes)
    return frontmatter.dump(article_meta(article), body)


def article_path(docs_dir: Path, section: str, slug: str) -> Path:
    """Where an article goes; refuses anything that could leave ``docs_dir``."""
    for part in (section, slug):
        if not is_safe_part(part):
            raise OutputError(docs_dir, f"unsafe path part {part!r}: use lowercase letters, digits and hyphens")
    path = docs_dir / section / f"{slug}.md"
    if not path.resolve().is_relative_to(docs_dir.resolve()):
        raise OutputError(path, "resolves outside the docs directory")
    return path
