"""What readers of a think tank expect on every article, in each language."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .conftest import build_site
from .test_site import _page, _text

ANKASAM = "analyses/background-of-russia-north-korea-cooperation"
PISM = "analyses/north-korea-strengthens-cooperation-with-russia"


def test_reading_time_citation_and_related_analyses(built_site: Path) -> None:
    en = _text(_page(built_site, ANKASAM))
    assert "4 min read" in en
    assert ("Zeki Talustan Gülten. “Background of Russia-North Korea Cooperation.” Eurasia Policy Review, n.d. "
            "https://example.org/analyses/background-of-russia-north-korea-cooperation/") in en
    assert "Related analyses" in en and "North Korea Strengthens Cooperation with Russia" in en.split("Related analyses")[1]
    ru = _text(_page(built_site, f"ru/{PISM}"))
    assert "мин чтения" in ru and "Как цитировать" in ru
    assert ("Оскар Петшевич. КНДР укрепляет сотрудничество с Россией // Евразийское политическое обозрение. б. г. "
            "URL: https://example.org/ru/analyses/north-korea-strengthens-cooperation-with-russia/") in ru
    tr = _text(_page(built_site, f"tr/{PISM}"))
    assert "dk okuma" in tr and "İlgili analizler" in tr and "Rusya-Kuzey Kore İşbirliğinin Arka Planı" in tr


def test_a_feed_per_language_in_that_language(built_site: Path) -> None:
    for lang, title, item in (("", "Eurasia Policy Review", "Background of Russia-North Korea Cooperation"),
                              ("tr", "Avrasya Politika İncelemesi", "Rusya-Kuzey Kore İşbirliğinin Arka Planı"),
                              ("ru", "Евразийское политическое обозрение", "Предпосылки сотрудничества России и КНДР")):
        channel = ET.parse(built_site / lang / "feed.xml").getroot().find("channel")
        assert channel is not None and channel.findtext("title") == title
        assert channel.findtext("language") == (lang or "en")
        titles = [item_.findtext("title") for item_ in channel.findall("item")]
        assert item in titles and len(titles) == 2
        head = (built_site / lang / "index.html").read_text(encoding="utf-8")
        assert 'type="application/rss+xml"' in head and "feed.xml" in head
    description = ET.parse(built_site / "ru" / "feed.xml").getroot().findtext("channel/description")
    assert description == "Евразийское политическое обозрение: новые материалы на русском языке."


def test_dates_are_written_the_way_each_language_writes_them(repo_copy: Path, run_cli) -> None:
    page = repo_copy / "docs" / f"{ANKASAM}.md"
    page.write_text(page.read_text(encoding="utf-8").replace("authors:\n", "date: 2024-02-01\nauthors:\n", 1),
                    encoding="utf-8")
    site = build_site(repo_copy)
    assert "1 February 2024" in _page(site, ANKASAM)
    assert "1 Şubat 2024" in _page(site, f"tr/{ANKASAM}")
    assert "1 февраля 2024" in _page(site, f"ru/{ANKASAM}")
    feed = ET.parse(site / "tr" / "feed.xml").getroot()
    assert feed.findtext("channel/item/pubDate") == "Thu, 01 Feb 2024 00:00:00 +0000"
