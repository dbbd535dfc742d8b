"""The MkDocs adapter (entry point ``thinktank.mkdocs_plugin:ThinktankPlugin``).

``plugin.py`` holds the event handlers, ``config.py`` the options of
``plugins: - thinktank`` in mkdocs.yml, and ``i18n.py`` every read of
mkdocs-static-i18n's internals. This is the only package of thinktank that
imports MkDocs; the handlers translate MkDocs objects into calls of the core
(:mod:`thinktank.framing`, :mod:`thinktank.listings`, :mod:`thinktank.feeds`,
:mod:`thinktank.search_index`, :mod:`thinktank.urls`...) and back.
"""

from .config import ThinktankConfig
from .plugin import ThinktankPlugin

__all__ = ["ThinktankConfig", "ThinktankPlugin"]
