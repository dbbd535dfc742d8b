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
from collections.abc import Callable
from typing import Any

INDEX = "search/search_index.json"
_CONFIG_OPEN = '<script id="__config" type="application/json">'
_CONFIG_CLOSE = "</script>"
"""Material's config element: from the first opening to the first ``</script>`` after it."""


def language_of(location: str, languages: list[str], default: str) -> str:
    first = location.split("/", 1)[0]
    return first if first in languages and first != default else default


def split(index: dict[str, Any], languages: list[str], default: str,
          stemmer: Callable[[str], str] = lambda code: code) -> dict[str, dict[str, Any]]:
    """``{lang: index}``; a non-default language's locations lose their ``<lang>/`` prefix, and each
    index names its language's lunr stemmer (``stemmer(code)``, the language data's ``search``)."""
    result = {}
    for lang in languages:
        prefix = "" if lang == default else f"{lang}/"
        docs = [{**doc, "location": doc["location"][len(prefix):]} for doc in index.get("docs", [])
                if language_of(doc["location"], languages, default) == lang]
        result[lang] = {"config": {**index.get("config", {}), "lang": [stemmer(lang)]}, "docs": docs}
    return result


def split_files(combined: str, languages: list[str], default: str,
                stemmer: Callable[[str], str] = lambda code: code) -> dict[str, str]:
    """The merged index's text cut into files: ``{path under site_dir: JSON text}``, one per language.

    The default language's file replaces the merged one at :data:`INDEX`;
    the others go to ``<lang>/`` + :data:`INDEX`.
    """
    parts = split(json.loads(combined), languages, default, stemmer)
    return {("" if code == default else f"{code}/") + INDEX: json.dumps(index, ensure_ascii=False, separators=(",", ":"))
            for code, index in parts.items()}


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
