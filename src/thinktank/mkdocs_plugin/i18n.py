"""Every read of mkdocs-static-i18n's internals, behind small typed functions.

mkdocs-static-i18n (1.3.x, checked against 1.3.1) has no public API for
other plugins: what we need is attributes of its plugin object, found as
``config.plugins["i18n"]``. Each function below names the behaviour it
relies on, so an upgrade of static-i18n is checked here and nowhere else.
Without the i18n plugin the site is one language, the default, and each
function answers accordingly.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from ..ui_text import DEFAULT


def _plugin(config: MkDocsConfig) -> Any:
    """The static-i18n plugin object, registered under the name ``i18n`` (its entry point), or None."""
    return config.plugins.get("i18n")


def current_language(config: MkDocsConfig) -> str:
    """The language of this build pass.

    static-i18n runs one full MkDocs build per language: the outermost one
    for the language it starts with (``current_language`` is None until its
    ``on_config`` at priority -100 sets the default), then, from its
    ``on_post_build``, one nested ``build()`` per other language after
    setting ``current_language`` to it.
    """
    return getattr(_plugin(config), "current_language", None) or DEFAULT


def languages(config: MkDocsConfig) -> list[str]:
    """Every configured language's code, in mkdocs.yml order (static-i18n's ``config.languages[].locale``)."""
    items = getattr(getattr(_plugin(config), "config", None), "languages", None) or []
    return [code for code in (getattr(item, "locale", None) for item in items) if code] or [DEFAULT]


def language_entries(config: MkDocsConfig) -> list[Any]:
    """static-i18n's ``config.languages`` items (``locale``, ``default``, ``name``...), as configured."""
    return list(getattr(getattr(_plugin(config), "config", None), "languages", None) or [])


def add_search_languages(config: MkDocsConfig, codes: list[str]) -> None:
    """Make Material's search load these lunr languages too (static-i18n adds only the locale codes)."""
    search: Any = config.plugins.get("search") or config.plugins.get("material/search")
    if search is not None:
        search.config.lang = list(dict.fromkeys([*(search.config.lang or []), *codes]))


def in_nested_pass(config: MkDocsConfig) -> bool:
    """Whether this is one of the nested per-language builds rather than the outermost one.

    static-i18n sets ``building`` to True in the outermost ``on_post_build``
    just before it starts the nested builds and back to False after the last
    one, so it is False in the outermost pass's ``on_config`` and, for a
    handler running after static-i18n's (priority below -100), in the
    outermost ``on_post_build``, and True in every event of a nested pass.
    """
    return bool(getattr(_plugin(config), "building", False))


def home_alternates(config: MkDocsConfig) -> list[dict[str, Any]] | None:
    """The language switcher pointing at each language's home page, as static-i18n computed it; None without it.

    static-i18n keeps that list in ``extra_alternate`` (filled in its
    ``on_config`` with ``reconfigure_material``) and, per page, rewrites
    ``config.extra.alternate`` to that page's translations in
    ``on_page_context``.
    """
    alternates = getattr(_plugin(config), "extra_alternate", None)
    return copy.deepcopy(alternates) if alternates else None


def reset_alternates_to_home_pages(config: MkDocsConfig) -> None:
    """Make the next template rendered (the 404 page) switch to the home pages, not to the last page's translations.

    Static templates such as 404.html get no ``on_page_context``, so static-i18n
    leaves the last rendered page's alternates in ``config.extra``; Material's
    templates read them as the attribute ``config.extra.alternate``, which is
    why it is set as an attribute.
    """
    roots = home_alternates(config)
    if roots:
        setattr(config.extra, "alternate", roots)  # noqa: B010


def search_entries(config: MkDocsConfig) -> list[dict[str, Any]] | None:
    """The entries Material's search plugin holds once mkdocs-static-i18n has merged every language into it (its
    ``search_index.entries``, which static-i18n itself reads and refills); None when it has none to give."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    entries = getattr(getattr(plugin, "search_index", None), "entries", None)
    return entries if isinstance(entries, list) else None


def search_settings(config: MkDocsConfig) -> dict[str, Any] | None:
    """The ``config`` Material's search plugin writes at the head of its index (its ``lang``, ``separator``,
    ``pipeline`` and ``fields`` options, as ``generate_search_index`` takes them), as read back from JSON; None
    without the plugin. Taken from the plugin, not from the file it has just written: a pass built beside
    another (:mod:`.passes`) would read that other pass's file."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    options = getattr(plugin, "config", None)
    if options is None:
        return None
    try:
        settings = {key: options[key] for key in ("lang", "separator", "pipeline", "fields")}
    except (KeyError, TypeError):
        return None
    return json.loads(json.dumps(settings, separators=(",", ":"), default=str))


def collected_search_entries(config: MkDocsConfig) -> list[dict[str, Any]] | None:
    """static-i18n's collection of every pass's search entries (its ``search_entries``), or None without one."""
    collected = getattr(_plugin(config), "search_entries", None)
    return collected if isinstance(collected, list) else None


def hold_pass_search_entries(config: MkDocsConfig) -> list[dict[str, Any]] | None:
    """This nested pass's search entries, taken out of Material's search plugin before its ``on_post_build``.

    Material dumps a pass's entries there as the site's index, each pass's
    over the last's until the outermost pass writes the merged one; with
    Turkish and Russian as ``\\u`` escapes that was 35 MB of text for a file
    nobody reads, and the top of a Russian pass's memory (76 MiB at 1,000
    analyses). Taken out, Material writes an index without entries (whose
    ``config`` the pass's own index copies) and static-i18n collects none of
    this pass. None, and nothing taken, when Material holds no entries, or
    under a dirty reload (``mkdocs serve --dirty``), where Material reuses the
    last build's entries when it finds none.
    """
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    entries = search_entries(config)
    if entries is None or getattr(plugin, "is_dirty", False):
        return None
    held = list(entries)
    entries.clear()
    return held


def take_pass_search_entries(config: MkDocsConfig,
                             held: list[dict[str, Any]] | None = None) -> list[dict[str, Any]] | None:
    """This nested pass's search entries as static-i18n would keep them: ``held`` (see
    :func:`hold_pass_search_entries`), or else taken out of its merged index.

    static-i18n collects every pass's entries (its ``search_entries``, at its
    ``on_post_build``), then has Material write them all as one index, after
    dropping a translated entry that is the English one (same title, same
    text, its location ending in the English location;
    ``reconfigure_search_duplicates``). With Turkish and Russian written as
    ``\\u`` escapes, that merged dump was the build's peak of memory (59 MB of
    JSON at 1,000 analyses). So each pass's entries are kept apart, with the
    same dropping applied against the English entries; the merged index is
    left with the default language's. None (and nothing taken) when neither
    this pass held them nor static-i18n collected them.
    """
    plugin = _plugin(config)
    collected = getattr(plugin, "search_entries", None)
    if not isinstance(collected, list):
        return held
    if held is not None:
        mine = held
    else:
        found = search_entries(config)
        if found is None:
            return None
        mine = found
        taken = {id(entry) for entry in mine}
        if not any(id(entry) in taken for entry in collected):
            return None
        collected[:] = [entry for entry in collected if id(entry) not in taken]
    if not getattr(plugin.config, "reconfigure_search", False):
        return list(mine)
    prefixes = tuple(f"{lang}/" for lang in getattr(plugin, "build_languages", ()) or ())
    return without_search_duplicates(collected + list(mine), prefixes, {id(entry) for entry in mine})


def without_search_duplicates(merged: list[dict[str, Any]], prefixes: tuple[str, ...],
                              wanted: set[int]) -> list[dict[str, Any]]:
    """The entries of ``merged`` whose ids are in ``wanted``, less those static-i18n's
    ``reconfigure_search_duplicates`` drops from ``merged``: an entry under a language folder (``prefixes``)
    with the title and text of an entry outside them, and a location ending in that entry's location.

    static-i18n scans every translated entry for every default-language one, which made a build quadratic
    (16 s of 10,000 analyses' build); the default entries are looked up by title and text here instead.
    ``tests/test_plugin.py`` checks the two agree.
    """
    default: dict[tuple[Any, Any], list[str]] = {}
    for entry in merged:
        if not entry["location"].startswith(prefixes):
            default.setdefault((entry["title"], entry["text"]), []).append(entry["location"])
    return [entry for entry in merged if id(entry) in wanted
            and not (entry["location"].startswith(prefixes)
                     and any(entry["location"].endswith(location)
                             for location in default.get((entry["title"], entry["text"]), ())))]


def nested_languages(config: MkDocsConfig) -> list[str]:
    """The languages static-i18n builds in nested passes after this (outermost) one, in its order: those of its
    ``build_languages`` other than the current one (its loop skips that one)."""
    plugin = _plugin(config)
    if plugin is None:
        return []
    current = getattr(plugin, "current_language", None)
    return [code for code in getattr(plugin, "build_languages", ()) or () if code != current]


def renders_its_sitemap(config: MkDocsConfig) -> bool:
    """Whether the site's ``sitemap.xml`` is static-i18n's template (its ``custom_i18n_sitemap`` folder, which its
    ``on_config`` puts first in the theme's folders unless the site's ``custom_dir`` has a ``sitemap.xml``): that
    one renders, in each pass, every language built so far after the last, in build order. The first of the
    theme's folders holding the file is the one MkDocs' template loader uses."""
    from pathlib import Path

    import mkdocs_static_i18n

    theirs = (Path(mkdocs_static_i18n.__file__).parent / "custom_i18n_sitemap").resolve()
    for folder in getattr(config.theme, "dirs", None) or ():
        if (Path(folder) / "sitemap.xml").is_file():
            return Path(folder).resolve() == theirs
    return False


def select_language(config: MkDocsConfig, code: str) -> None:
    """Make ``code`` the pass's language, as static-i18n's loop does before each nested ``build()``."""
    _plugin(config).current_language = code


NestedBuild = Callable[..., None]


def route_nested_builds(run: Callable[[MkDocsConfig, bool, NestedBuild, str], None]) -> Callable[[], None]:
    """Have static-i18n's nested builds go through ``run(config, dirty, build, language)``; returns what puts
    static-i18n's own back.

    Its ``on_post_build`` loop calls ``build(config, dirty=...)``, MkDocs'
    function as its module imported it (``mkdocs_static_i18n.plugin.build``),
    once per language after setting ``current_language``; that name is what is
    replaced here, and only until the function returned is called (static-i18n
    itself swaps ``mkdocs.utils.clean_directory`` the same way around its loop).
    """
    import mkdocs_static_i18n.plugin as module

    # A route an earlier build left in place is not wrapped again: its own build is the real one.
    real: NestedBuild = getattr(module.build, "thinktank_real", module.build)

    def routed(config: MkDocsConfig, dirty: bool = False) -> None:
        run(config, dirty, real, current_language(config))

    def restore() -> None:
        module.build = real

    routed.thinktank_real = real  # type: ignore[attr-defined]
    module.build = routed
    return restore
