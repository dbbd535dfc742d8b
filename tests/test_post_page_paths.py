"""The built page's last touches find what the regexes they replace found (issue 12).

:func:`thinktank.anchors.retarget_links` and
:func:`thinktank.search_index.page_config` look for their places with
``str.find`` instead of running a regex over the whole page; each is compared
here with the regex version it replaced (kept below as the reference) on
tricky and seeded random pages. :class:`thinktank.anchors.PassAnchors` keeps
its lookup table only until an entry changes.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Mapping

import pytest

from thinktank import anchors, search_index
from thinktank.anchors import PassAnchors, Retargets

_HREF = re.compile(r'(\shref=")([^"#]*)#([^"]+)(")')
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def _reference_retarget_links(html: str, page_url: str, pages: Mapping[str, Retargets]) -> str:
    by_key = {anchors._page_key(url): target for url, target in pages.items()}

    def fix(match: re.Match[str]) -> str:
        path, fragment = match.group(2), match.group(3)
        target = by_key.get(anchors._page_key(page_url if not path else anchors._resolve(page_url, path)))
        if target is None or fragment in target.ids or fragment not in target.moved:
            return match.group(0)
        return f"{match.group(1)}{path}#{target.moved[fragment]}{match.group(4)}"

    return _HREF.sub(fix, html)


def _reference_page_config(html: str, lang: str) -> str:
    def rebase(match: re.Match[str]) -> str:
        config = json.loads(match.group(2))
        base = config.get("base", ".").rstrip("/")
        config["base"] = f"{base}/{lang}/" if base not in ("", ".") else f"{lang}/"
        return match.group(1) + json.dumps(config, ensure_ascii=False) + match.group(3)

    return _CONFIG.sub(rebase, html, count=1)


MOVED = Retargets({"results": "itogi", "notes": "primechaniya", "own": "x"}, frozenset({"itogi", "primechaniya", "own"}))
PAGES = {"ru/about/": MOVED, "ru/": Retargets({"results": "itogi"}, frozenset({"itogi"})),
         "ru/a/index.html": Retargets({"notes": "n"}, frozenset({"n"}))}

LINK_TOKENS = [
    ' href="#results"', '\nhref="#notes"', '\thref="../about/#results"', '\xa0href="#results"', 'xhref="#results"',
    ' href="', 'href="#results"', ' href="#results', '#', '"', ' ', '\n', ' href="../#results"', ' href="a/#notes"',
    ' href="https://x.example/about/#results"', ' href="/about/#results"', ' href="#own"', ' href="about/#results"',
    ' href="#results href="#notes"', ' hre', 'f="#results"', "<a", ">x</a>", "é", "\u2028",
]


def _random_pages(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(LINK_TOKENS) for _ in range(rng.randrange(0, 30))) for _ in range(count)]


TRICKY = [
    'href="#results"', ' href="#results"', 'xhref="#a href="#results"', ' href="#x" href="#results"',
    ' href="#results"" href="#results"', ' href="#results" href="#notes"', '\n\nhref="#results"',
    ' href="#results', "", "no links", ' href="../about/#results" href="../about/#own"',
]


@pytest.mark.parametrize("page_url", ["ru/about/", "ru/", "ru/a/", "ru/about/x.html"])
def test_links_are_retargeted_exactly_where_the_regex_retargeted_them(page_url: str) -> None:
    for html in [*TRICKY, *_random_pages(400, seed=11)]:
        expected = _reference_retarget_links(html, page_url, PAGES)
        assert anchors.retarget_links(html, page_url, PAGES) == expected, repr(html)
        table = PassAnchors()
        table.update(PAGES)
        assert anchors.retarget_links(html, page_url, table) == expected, repr(html)


def test_a_pass_table_follows_its_entries() -> None:
    table = PassAnchors()
    html = ' href="../about/#results"'
    assert anchors.retarget_links(html, "ru/x/", table) == html
    table["ru/about/"] = MOVED
    assert anchors.retarget_links(html, "ru/x/", table) == ' href="../about/#itogi"'
    table["ru/about/"] = Retargets({"results": "vyvody"}, frozenset({"vyvody"}))
    assert anchors.retarget_links(html, "ru/x/", table) == ' href="../about/#vyvody"'
    table["ru/about/index.html"] = Retargets({"results": "later"}, frozenset({"later"}))  # same key: the later wins
    assert anchors.retarget_links(html, "ru/x/", table) == ' href="../about/#later"'
    del table["ru/about/index.html"]
    assert anchors.retarget_links(html, "ru/x/", table) == ' href="../about/#vyvody"'
    assert len(table) == 1 and list(table) == ["ru/about/"]


CONFIG = '{"base": "../..", "features": [], "search": "../../assets/javascripts/workers/search.js", "v": "é"}'


@pytest.mark.parametrize("html", [
    f'<head></head><body><script id="__config" type="application/json">{CONFIG}</script><script>x</script></body>',
    f'<script id="__config" type="application/json">{CONFIG}</script>'
    f'<script id="__config" type="application/json">{{"base": "."}}</script>',
    '<script id="__config" type="application/json">{"base": "."}</script>',
    '<script id="__config" type="application/json">{"base": ""}\n</script>',
    '<script id="__config" type="application/json">{}</script>',
    '<script id="__config" type="application/json">{"base": "."}',
    '<script id="__config">{"base": "."}</script>', "", "<p>no config</p>",
])
@pytest.mark.parametrize("lang", ["tr", "ru"])
def test_the_search_config_is_rebased_as_the_regex_rebased_it(html: str, lang: str) -> None:
    assert search_index.page_config(html, lang) == _reference_page_config(html, lang)
    assert search_index.page_config(html, lang) == _reference_page_config(html, lang)  # once more, from the cache
