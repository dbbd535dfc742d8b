"""The options of ``plugins: - thinktank`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class ThinktankConfig(Config):
    """Validated by MkDocs when mkdocs.yml is read; a wrong type stops the build with the option's name."""

    enabled = c.Type(bool, default=True)
    """False builds the site as plain MkDocs would: no translations, listings, framing, feeds or index split."""
    sections = c.ListOfItems(c.Type(str), default=["analyses"])
    """docs/ folders whose pages are articles (listed, framed, in the feeds)."""
    latest = c.Type(int, default=10)
    """How many articles the ``latest`` listing shows."""
    per_page = c.Type(int, default=20)
    """How many articles a page of a listing (the ``articles`` listing, an author's analyses) shows."""
    translations_dir = c.Type(str, default="translations")
    """PO catalogs, relative to mkdocs.yml."""
    pdf = c.Type(bool, default=True)
    """Print each analysis as a PDF beside its page (WeasyPrint; skipped with one note when it is missing)."""
    pdf_cache = c.Type(str, default="build/pdf-cache")
    """Where printed PDFs are kept by content, relative to mkdocs.yml: a rebuild reprints only changed pages."""
    build_cache = c.Type(str, default="build/cache/site.sqlite")
    """Where a build keeps what it parsed (articles, catalogs) for the next, relative to mkdocs.yml; empty: no
    cache (see :mod:`thinktank.build_cache`)."""
    parallel = c.Type(bool, default=True)
    """Build the second half of the translated languages in a forked process beside the first (Linux, two cores
    or more, not under ``mkdocs serve``; see :mod:`thinktank.mkdocs_plugin.passes`)."""
