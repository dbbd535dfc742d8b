"""thinktank: a multilingual publishing pipeline for think tanks.

The package is cut by concept: ``importers`` turn raw dumps into ``models``,
``pages`` writes them as Markdown with front matter, ``library`` reads the
docs tree back for the site, and ``mkdocs_plugin`` / ``cli`` are thin adapters.
"""

__version__ = "0.1.0"
