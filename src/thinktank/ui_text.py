"""Words the site itself says (labels, dates, who made a draft), in the reader's language.

The words are data: each language's file in the registry (:mod:`thinktank.languages`)
holds every label, its month names and date format. A language without data,
or a label its file lacks, is a :class:`~thinktank.languages.LanguageError`
naming the language and the file, never an English word in a Turkish page.
"""

from __future__ import annotations

import datetime as dt

from . import languages
from .provenance import Origin, Provenance

DEFAULT = languages.SOURCE
"""The language of docs/ and the site's default language."""


def label(key: str, lang: str = DEFAULT, **values: str) -> str:
    """The site's word for ``key`` in ``lang``, with ``values`` put in its placeholders."""
    return languages.get(lang).label(key, **values)


def format_date(date: dt.date | None, lang: str = DEFAULT) -> str:
    """A date as readers of ``lang`` write it: "1 February 2024", "1 Şubat 2024"."""
    if date is None:
        return label("undated", lang)
    language = languages.get(lang)
    return language.date_format.format(day=date.day, month=language.months[date.month - 1], year=date.year)


def provenance(item: Provenance, lang: str = DEFAULT) -> str:
    """Who made a draft, in the reader's language, for draft banners."""
    if item.origin is Origin.MACHINE:
        return label("by_engine", lang, model=item.detail)
    if item.origin in (Origin.MANUAL, Origin.KEPT):
        return label("by_people", lang)
    if item.origin is Origin.CITATION:
        return label("by_glossary", lang)
    return item.line
