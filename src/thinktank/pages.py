"""Article pages on disk: ``docs/<section>/<slug>.md`` with YAML front matter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import frontmatter
from .errors import OutputError
from .footnotes import note_to_meta, render_definitions
from .models import Article
from .schema import NoteMeta, PageMeta
from .slugs import is_safe_part


def article_meta(article: Article) -> dict[str, Any]:
    """Front matter of an article, in the page schema's order, empty values left out."""
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
    notes = tuple(NoteMeta(**note_to_meta(note)) for note in article.footnotes)  # type: ignore[arg-type]
    return PageMeta(title=article.title, date=article.date, authors=tuple(author.id for author in article.authors),
                    summary=article.summary, categories=(article.category,) if article.category else (),
                    tags=tuple(article.tags), source=source, notes=notes).to_mapping()


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
