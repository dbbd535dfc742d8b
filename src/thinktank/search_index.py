"""One search index per language, cut from the multilingual one.

mkdocs-static-i18n merges every language into ``search/search_index.json``,
so a query on ``/ru/`` would also list English and Turkish pages. This splits
it: each language gets ``<lang>/search/search_index.json`` with its own pages
(locations made relative to the language's root) and only its own lunr
stemmer, and its pages point Material's search at it (``page_config``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Collection, Iterator
from typing import Any

INDEX = "search/search_index.json"
_CONFIG_OPEN = '<script id="__config" type="application/json">'
_CONFIG_CLOSE = "</script>"
"""Material's config element: from the first opening to the first ``</script>`` after it."""


def language_of(location: str, languages: list[str], default: str) -> str:
    first = location.split("/", 1)[0]
    return first if first in languages and first != default else default


def _part(config: dict[str, Any], docs: list[dict[str, Any]], lang: str, languages: list[str], default: str,
          stemmer: Callable[[str], str]) -> dict[str, Any]:
    """``lang``'s index: its docs, a non-default language's locations without their ``<lang>/`` prefix, and
    its language's lunr stemmer only (``stemmer(code)``, the language data's ``search``)."""
    prefix = "" if lang == default else f"{lang}/"
    mine = [{**doc, "location": doc["location"][len(prefix):]} for doc in docs
            if language_of(doc["location"], languages, default) == lang]
    return {"config": {**config, "lang": [stemmer(lang)]}, "docs": mine}


def split_files(combined: str, languages: list[str], default: str,
                stemmer: Callable[[str], str] = lambda code: code) -> dict[str, str]:
    """The merged index's text cut into files: ``{path under site_dir: JSON text}``, one per language.

    The default language's file replaces the merged one at :data:`INDEX`;
    the others go to ``<lang>/`` + :data:`INDEX`.
    """
    index = json.loads(combined)
    return dict(split_entries(index.get("config", {}), index.get("docs", []), languages, default, stemmer))


def split_entries(config: dict[str, Any], docs: list[dict[str, Any]], languages: list[str], default: str,
                  stemmer: Callable[[str], str] = lambda code: code,
                  wanted: Collection[str] | None = None) -> Iterator[tuple[str, str]]:
    """:func:`split_files` from the merged index's config and its entries as the search plugin holds them, one
    file at a time (only the ``wanted`` languages' when given): reading back the 35 MB the plugin wrote at
    1,000 analyses was the build's peak of memory. Values JSON lacks are written as the plugin writes them
    (``default=str``), so the files are the same."""
    for lang in languages:
        if wanted is not None and lang not in wanted:
            continue
        text = json.dumps(_part(config, docs, lang, languages, default, stemmer), ensure_ascii=False,
                          separators=(",", ":"), default=str)
        yield ("" if lang == default else f"{lang}/") + INDEX, text


def page_config(html: str, lang: str) -> str:
    """Point a page's Material config at its language's root, where its search index lives."""
    start = html.find(_CONFIG_OPEN)  # str.find: a third of the time a regex took to find the same element
    end = html.find(_CONFIG_CLOSE, start + len(_CONFIG_OPEN)) if start != -1 else -1
    if end == -1:
        return html
    start += len(_CONFIG_OPEN)
    return html[:start] + _rebased(html[start:end], lang) + html[end:]


@functools.lru_cache(maxsize=256)
def _rebased(config_text: str, lang: str) -> str:
    """The config JSON with its ``base`` under ``lang/``; the same for every page at one depth of a pass, so it
    is read and written once per depth rather than once per page."""
    config = json.loads(config_text)
    base = config.get("base", ".").rstrip("/")
    # The slash matters: Material resolves "search/search_index.json" against it.
    config["base"] = f"{base}/{lang}/" if base not in ("", ".") else f"{lang}/"
    return json.dumps(config, ensure_ascii=False)
