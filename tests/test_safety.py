"""Imported articles and translators' PO files are untrusted: nothing in them may run."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import polib

from .conftest import build_site
from .test_site import _page

PISM = "analyses/north-korea-strengthens-cooperation-with-russia"
HOSTILE = ('Hostile paragraph <script>alert("md")</script> <img src="x.png" onerror="alert(1)"> '
           '[click](javascript:alert(2)) <a href="javascript:alert(3)" onclick="steal()">link</a> end.')


def _content(html: str) -> str:
    return html[html.index('<article class="md-content__inner'):html.index("</article>")]


class _Active(HTMLParser):
    """Collects what a browser would run: script tags, on* handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}={value}")


def _active(html: str) -> list[str]:
    parser = _Active()
    parser.feed(html)
    return parser.found


def test_raw_html_from_articles_and_catalogs_cannot_run(repo_copy: Path) -> None:
    page = repo_copy / "docs" / f"{PISM}.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{HOSTILE}\n", encoding="utf-8")
    po_path = repo_copy / "translations" / "tr" / f"{PISM}.po"
    po = polib.pofile(str(po_path), wrapwidth=0)
    po.find("North Korea Strengthens Cooperation with Russia").msgstr = '<img src=x onerror="alert(4)">Başlık'
    first = next(entry for entry in po if entry.msgid.startswith("North Korea closed its borders"))
    first.msgstr = 'Kuzey Kore <script>alert("po")</script> sınırlarını <b onmouseover="alert(5)">kapattı</b>.'
    po.save(str(po_path))

    site = build_site(repo_copy)
    for lang in ("", "tr/"):
        html = _page(site, f"{lang}{PISM}")
        assert _active(_content(html)) == [], lang
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "<img" not in title
    tr = _page(site, f"tr/{PISM}")
    assert "&lt;img src=x onerror=\"alert(4)\"&gt;Başlık" in tr  # shown as text, not run
    assert "<b>kapattı</b>" in tr and "Hostile paragraph" in _page(site, PISM)


def test_built_site_holds_no_sources_and_no_build_paths(built_site: Path) -> None:
    names = [p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file()]
    assert not [n for n in names if n.endswith((".md", ".po", ".pot", ".yml", ".txt")) or n.startswith("sources")]
    build_root = str(built_site.parent)
    for path in built_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".js", ".css"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert build_root not in text and "/work/" not in text, path
