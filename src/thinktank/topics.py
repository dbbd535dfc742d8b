"""Topic pages: every tag of the archive gets a listing of its own, ``topics/<slug>/``, paginated.

At 1,000 analyses the one topics page listing every tag with all its
analyses was 490 KB of HTML (4.9 MB at 10,000). Now the topics page
(``topics.md``, marker ``topics``) shows each tag with its latest few
analyses and a link to the tag's page, where the whole list is paginated
like the other listings (``topics/russia/``, ``topics/russia/page/2/``);
a byline's tag links to that page too.

A topic's address is made from its English tag, so it is the same in every
language's folder (the language switcher and hreflang links need that); the
page shows the tag in the pass's language (the glossary's form). Pure
functions: no MkDocs, no disk.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from .slugs import slugify

FOLDER = "topics"
"""Where the topic pages live under each language's root."""
ON_INDEX = 5
"""How many of a tag's latest analyses the topics page shows above the link to the tag's page."""


def topic_uris(tags: Iterable[str], taken: Iterable[str] = ()) -> dict[str, str]:
    """Each tag's docs/ path (``topics/<slug>.md``), in the order given.

    Slugs are unique ("Russia" and "russia!" are ``russia`` and ``russia-2``),
    never empty (a tag of punctuation only is ``topic``), and never a page
    docs/ already has (``taken``: a page written by hand wins).
    """
    used = set(taken)
    found: dict[str, str] = {}
    for tag in tags:
        stem = slugify(tag) or "topic"
        uri, number = posixpath.join(FOLDER, f"{stem}.md"), 1
        while uri in used:
            number += 1
            uri = posixpath.join(FOLDER, f"{stem}-{number}.md")
        used.add(uri)
        found[tag] = uri
    return found
