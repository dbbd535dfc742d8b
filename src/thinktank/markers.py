"""Listing markers: ``<!-- thinktank:latest -->`` in a page's source stands for a listing.

A marker is an HTML comment, so a page whose marker is not expanded (an
unknown name, a build without the plugin) shows nothing rather than raw
syntax. Which listing a name stands for is a registry (name -> renderer)
given by the caller (:data:`thinktank.listings.LISTINGS`), so a new listing
is one entry there and this module never changes for it.

Only the source page decides where a listing goes: :func:`expand` replaces
only names the caller allows (those the English source carries), and
:func:`strip_markers` removes every marker from a translator's msgstr.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TypeVar

MARKER = re.compile(r"<!--\s*thinktank:\s*([\w-]*)\s*-->")
"""Any spelling of a marker (spaces optional): what is recognised, and stripped from translations."""

Context = TypeVar("Context")
"""Whatever the registry's renderers need to know about the page (for listings, :class:`thinktank.listings.ListingContext`)."""


def markers(markdown: str) -> set[str]:
    """The listing names whose markers ``markdown`` carries."""
    return {match.group(1) for match in MARKER.finditer(markdown)}


def strip_markers(translation: str) -> str:
    """A msgstr without listing markers: only the source page decides where a listing goes."""
    return MARKER.sub("", translation)


def marker(name: str) -> str:
    """The canonical spelling of a listing's marker, the one that is expanded."""
    return f"<!-- thinktank:{name} -->"


def expand(markdown: str, allowed: set[str], registry: Mapping[str, Callable[[Context], str]],
           context: Context) -> str:
    """Each canonical marker of an ``allowed`` name replaced by its listing, in registry order.

    A listing is rendered only when its marker is present, so a page without
    markers costs nothing. Rendered listings escape every stranger's text
    (:func:`thinktank.listings.literal`), so a listing cannot carry a marker
    that a later name would expand.
    """
    for name, render in registry.items():
        spelled = marker(name)
        if name in allowed and spelled in markdown:
            markdown = markdown.replace(spelled, render(context))
    return markdown
