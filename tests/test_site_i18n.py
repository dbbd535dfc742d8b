"""The site in Turkish and Russian: translated pages, banners, notes, listings."""

from __future__ import annotations

import re
from pathlib import Path

from .conftest import build_site
from .test_site import _Links, _page, _text

ANKASAM = "analyses/background-of-russia-north-korea-cooperation"
PISM = "analyses/north-korea-strengthens-cooperation-with-russia"
ARTICLES = (ANKASAM, PISM)


def test_articles_read_in_turkish_and_russian(built_site: Path) -> None:
    assert "<h1>Rusya-Kuzey Kore İşbirliğinin Arka Planı</h1>" in _page(built_site, f"tr/{ANKASAM}")
    assert "<h1>КНДР укрепляет сотрудничество с Россией</h1>" in _page(built_site, f"ru/{PISM}")
    ru = _text(_page(built_site, f"ru/{ANKASAM}"))
    assert "президент России Владимир Путин заявил" in ru
    assert "Дата обращения: 01.02.2024" in ru and "Там же." in ru
    assert "“Russia’s Putin to Visit North Korea Soon, State Media Says”, Cable News Network World" in ru


def test_draft_banner_discloses_provenance_and_links_the_original(built_site: Path) -> None:
    tr = _page(built_site, f"tr/{PISM}")
    banner = tr[tr.index("tt-draft"):tr.index("</div>", tr.index("tt-draft"))]
    assert "Çeviri henüz bir editör tarafından gözden geçirilmedi." in banner
    assert "proje katkıcılarının hazırladığı taslak" in banner
    assert f'href="../../../{PISM}/"' in banner
    assert "Перевод ещё не проверен редактором." in _page(built_site, f"ru/{PISM}")


def test_notes_jump_and_return_in_every_language(built_site: Path) -> None:
    for lang in ("", "tr/", "ru/"):
        parser = _Links()
        parser.feed(_page(built_site, f"{lang}{ANKASAM}"))
        for number in range(1, 7):
            assert {f"fnref:{number}", f"fn:{number}"} <= parser.ids
            assert f"#fn:{number}" in parser.hrefs and f"#fnref:{number}" in parser.hrefs
    assert 'title="Metinde 3 numaralı dipnota dön"' in _page(built_site, f"tr/{ANKASAM}")


def test_listings_navigation_and_author_pages_are_translated(built_site: Path) -> None:
    home = _text((built_site / "tr" / "index.html").read_text(encoding="utf-8"))
    assert "Son analizler" in home and "Kuzey Kore Rusya ile İşbirliğini Güçlendiriyor" in home
    assert "Kim Jong Un'un 12-17 Eylül tarihleri arasındaki Rusya ziyareti" in home
    ru_home = (built_site / "ru" / "index.html").read_text(encoding="utf-8")
    assert "Аналитика" in ru_home and "Главная" in ru_home and "Зеки Талустан Гюльтен" in ru_home
    author = _text(_page(built_site, "tr/authors/zeki-talustan-gulten"))
    assert "Yalova Üniversitesi" in author and "Rusya-Kuzey Kore İşbirliğinin Arka Planı" in author
    box = _page(built_site, f"ru/{ANKASAM}")
    assert "Университета Ялова" in box[box.index("tt-author-box"):]


def _article_shape(html: str) -> dict[str, list[str]]:
    content = html[html.index('<article class="md-content__inner'):html.index("</article>")]
    content = re.sub(r'<div class="admonition[^"]*tt-status.*?</div>', "", content, flags=re.S)
    parser = _Links()
    parser.feed(content)
    return {
        "notes": sorted(i for i in parser.ids if i.startswith("fn")),
        "links": [h for h in parser.hrefs if h.startswith(("http", "#fn"))],
        "headings": re.findall(r"<h([1-6])", content),
    }


def test_pseudo_translation_keeps_every_note_link_and_heading(repo_copy: Path, run_cli, monkeypatch) -> None:
    monkeypatch.setenv("THINKTANK_ALLOW_PREVIEW", "1")  # a preview build: the drafts are the pseudo engine's
    for lang in ("tr", "ru"):
        for po in (repo_copy / "translations" / lang).rglob("*.po"):
            po.unlink()
    result = run_cli("translate", "--engine", "pseudo", "--docs-dir", repo_copy / "docs",
                     "--translations-dir", repo_copy / "translations")
    assert result.code == 0, result.err
    site = build_site(repo_copy)
    for article in ARTICLES:
        english = _article_shape(_page(site, article))
        for lang in ("tr", "ru"):
            html = _page(site, f"{lang}/{article}")
            assert _article_shape(html) == english, f"{lang}/{article}"
            assert "⸨" in html and "pseudo-" + lang in html  # pseudo text, disclosed in the banner


def test_page_without_catalog_says_so_and_shows_english(repo_copy: Path) -> None:
    (repo_copy / "translations" / "tr" / "about.po").unlink()
    site = build_site(repo_copy)
    page = _text(_page(site, "tr/about"))
    assert "Bu sayfa henüz Türkçeye çevrilmedi" in page
    assert "Their text is reproduced as received." in page


def test_each_language_searches_only_its_own_pages(built_site: Path) -> None:
    import json

    for lang, word in (("", "cooperation"), ("tr", "işbirliği"), ("ru", "сотрудничество")):
        index = json.loads((built_site / lang / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert index["config"]["lang"] == [lang or "en"]
        locations = [doc["location"] for doc in index["docs"]]
        assert not [loc for loc in locations if loc.startswith(("tr/", "ru/"))]
        assert any(word in doc["text"].lower() for doc in index["docs"])
        assert "analyses/background-of-russia-north-korea-cooperation/" in locations
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>',
                       (built_site / "ru" / ANKASAM / "index.html").read_text(encoding="utf-8")).group(1)
    assert json.loads(config)["base"] == "../../../ru/"


def test_a_fully_reviewed_page_shows_no_banner(repo_copy: Path) -> None:
    import polib

    po_path = repo_copy / "translations" / "tr" / f"{PISM}.po"
    po = polib.pofile(str(po_path), wrapwidth=0)
    for entry in po:
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]  # the translator's review
    po.save(str(po_path))
    site = build_site(repo_copy)
    assert "tt-status" not in _page(site, f"tr/{PISM}")
    assert "tt-draft" in _page(site, f"ru/{PISM}") and "tt-draft" in _page(site, f"tr/{ANKASAM}")


def test_a_kept_translation_shows_no_machine_suggestion_in_the_banner(tmp_path) -> None:
    """The new-source machine draft is for the translator, not for readers."""
    import polib

    from thinktank.localize import Localizer
    from thinktank.provenance import KEPT_LINE, SUGGESTION_PREFIX, Origin

    po_path = tmp_path / "tr" / "a.po"
    po_path.parent.mkdir(parents=True)
    cat = polib.POFile(wrapwidth=0)
    cat.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    cat.append(polib.POEntry(msgid="New source.", msgstr="Eski çeviri.", flags=["fuzzy"], previous_msgid="Old source.",
                             comment=f"{KEPT_LINE}\n{SUGGESTION_PREFIX}⸨Ñéŵ şöûŕçé⸩"))
    cat.save(str(po_path))
    page = Localizer(tmp_path, "tr").page("a.md", {}, "New source.\n")
    assert page.state.value == "draft" and "Eski çeviri." in page.markdown
    assert [item.origin for item in page.provenance] == [Origin.KEPT] and not page.machine
