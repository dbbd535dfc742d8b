"""Issue 11, publishing: preview drafts never published by accident, a 404 page per language, a page sitemap
beside every page, and ``translate --to`` limited to the site's languages.

The builds are real (``mkdocs build --strict`` in a copy of the repository);
the site with pseudo drafts is made once per module and built twice (refused,
then allowed), and deployed twice (refused, then allowed).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from thinktank import po, preview
from thinktank.cli import main

from .conftest import copy_site_sources, snapshot

HERE = Path(__file__).resolve().parent
NEW_PARAGRAPH = "A brand new paragraph, drafted by the preview engine."


def _mkdocs(repo: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != preview.ALLOW_ENV}
    environment.update(NO_MKDOCS_2_WARNING="1", **env)
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(repo / "mkdocs.yml")],
                          capture_output=True, text=True, env=environment, cwd=repo)


def _cli(*args: str | Path) -> int:
    try:
        return main([str(arg) for arg in args])
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.fixture(scope="module")
def pseudo_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed site with one new paragraph on the About page, drafted by the pseudo engine in tr and ru."""
    repo = copy_site_sources(tmp_path_factory.mktemp("pseudo") / "repo")
    about = repo / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + f"\n{NEW_PARAGRAPH}\n", encoding="utf-8")
    code = _cli("translate", "--engine", "pseudo", "--docs-dir", repo / "docs",
                "--translations-dir", repo / "translations", "-f", repo / "mkdocs.yml")
    assert code == 0
    return repo


# --- which entries are preview drafts ---------------------------------------------------------------------------

def test_only_unapproved_pseudo_text_is_drafted_again_by_a_real_engine() -> None:
    catalog = po.read(HERE / "preview" / "mixed.po")
    assert {entry.msgid for entry in catalog if preview.replaceable(entry)} == {"A pseudo draft."}


def test_a_real_engine_drafts_the_preview_drafts_again_and_touches_nothing_else(tmp_path: Path) -> None:
    from thinktank.translation import translate

    from .test_i18n_cases import FixtureEngine

    repo = copy_site_sources(tmp_path / "repo")
    about = repo / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + f"\n{NEW_PARAGRAPH}\n\nA second new paragraph.\n",
                     encoding="utf-8")
    translations = repo / "translations"
    assert _cli("translate", "--engine", "pseudo", "--docs-dir", repo / "docs", "--translations-dir", translations,
                "-f", repo / "mkdocs.yml") == 0
    tr_about = translations / "tr" / "about.po"
    edited = tr_about.read_text(encoding="utf-8")
    pseudo_second = next(entry.msgstr for entry in po.read(tr_about) if entry.msgid == "A second new paragraph.")
    tr_about.write_text(edited.replace(pseudo_second, "Bir çevirmenin metni."), encoding="utf-8")  # a person's edit
    before = {path: po.read(path) for path in translations.rglob("*.po")}
    translate(repo / "docs", translations, ["tr", "ru"], FixtureEngine())
    assert preview.preview_catalogs(translations, ["tr", "ru"]) == []
    for path, old in before.items():
        new = {entry.msgid: entry for entry in po.read(path)}
        for entry in old:
            if preview.replaceable(entry):
                assert new[entry.msgid].msgstr == entry.msgid.upper() and "fuzzy" in new[entry.msgid].flags
                assert "fixture" in new[entry.msgid].comment
            else:  # a person's edit, reviewed entries, other drafts: as they were
                assert (new[entry.msgid].msgstr, new[entry.msgid].flags) == (entry.msgstr, entry.flags), entry.msgid
    assert {entry.msgid: entry.msgstr for entry in po.read(tr_about)}["A second new paragraph."] == \
        "Bir çevirmenin metni."

def test_preview_entries_are_the_ones_a_reader_would_see_as_pseudo_text() -> None:
    catalog = po.read(HERE / "preview" / "mixed.po")
    found = {entry.msgid for entry in catalog if preview.is_preview(entry)}
    assert found == {"A pseudo draft.", "Pseudo text someone approved in bulk."}


# --- the build -----------------------------------------------------------------------------------------------

def test_a_build_showing_pseudo_drafts_is_refused_naming_the_catalogs(pseudo_repo: Path) -> None:
    result = _mkdocs(pseudo_repo)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, result.stderr
    assert ("2 preview-engine (pseudo) draft entries in 2 catalogs: translations/tr/about.po (1), "
            "translations/ru/about.po (1)") in errors[0]
    assert "THINKTANK_ALLOW_PREVIEW=1" in errors[0] and "--allow-preview" in errors[0]
    assert "Traceback" not in result.stderr
    assert not (pseudo_repo / "site" / "tr" / "about").exists()


def test_a_preview_build_is_allowed_by_the_environment(pseudo_repo: Path) -> None:
    result = _mkdocs(pseudo_repo, **{preview.ALLOW_ENV: "1"})
    assert result.returncode == 0, result.stderr
    assert "⸨" in (pseudo_repo / "site" / "tr" / "about" / "index.html").read_text(encoding="utf-8")


def test_make_site_passes_allow_preview_to_the_build() -> None:
    makefile = (HERE.parent / "Makefile").read_text(encoding="utf-8")
    recipe = makefile[makefile.index("\nsite:"):].split("\n\n", 1)[0]
    assert f"{preview.ALLOW_ENV}=$(ALLOW_PREVIEW) $(BIN)/mkdocs build --strict" in recipe


# --- deploy ------------------------------------------------------------------------------------------------

def test_deploy_refuses_pseudo_drafts_even_with_the_variable_exported(
        pseudo_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(preview.ALLOW_ENV, "1")  # only --allow-preview counts for a deploy
    code = _cli("deploy", "--to", tmp_path / "www", "-f", pseudo_repo / "mkdocs.yml")
    err = capsys.readouterr().err
    assert code == 1 and len(err.strip().splitlines()) == 1, err
    assert "translations/tr/about.po (1), translations/ru/about.po (1)" in err
    assert err.rstrip().endswith("publish them anyway with thinktank deploy --allow-preview"), err
    assert preview.ALLOW_ENV not in err  # the variable does not help a deploy, so it is not offered
    assert not (tmp_path / "www" / "current").exists()


def test_deploy_with_allow_preview_publishes_them(pseudo_repo: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code = _cli("deploy", "--to", tmp_path / "www", "-f", pseudo_repo / "mkdocs.yml", "--allow-preview")
    assert code == 0, capsys.readouterr().err
    live = tmp_path / "www" / "current"
    assert "⸨" in (live / "ru" / "about" / "index.html").read_text(encoding="utf-8")


def test_allow_preview_does_not_go_with_rollback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli("deploy", "--to", tmp_path, "--rollback", "--allow-preview") == 2
    assert "--allow-preview does not apply here" in capsys.readouterr().err


# --- 404 pages and page sitemaps in the built site -----------------------------------------------------------

@pytest.mark.parametrize(("prefix", "lang", "text"), [
    ("", "en", "This page does not exist."),
    ("tr/", "tr", "Bu sayfa bulunamadı."),
    ("ru/", "ru", "Такой страницы нет."),
])
def test_each_language_gets_its_own_404_page(built_site: Path, prefix: str, lang: str, text: str) -> None:
    html = (built_site / prefix / "404.html").read_text(encoding="utf-8")
    assert re.search(rf'<html lang="{lang}"', html)
    assert text in html
    feeds = re.findall(r'<link rel="alternate" type="application/rss\+xml"[^>]*href="([^"]+)"', html)
    assert feeds == [f"/{prefix}feed.xml"]
    assert (built_site / prefix / "feed.xml").is_file()
    assert [link for link in re.findall(r'(?:href|src)="([^"]*)"', html) if link.startswith("//")] == []


def test_no_page_makes_material_fetch_a_missing_sitemap(built_site: Path) -> None:
    """Material fetches ``sitemap.xml`` beside every ``link[rel=alternate]`` (an exact attribute match); the
    hreflang set says ``rel="alternate "`` so that only the feed links match, and their sitemaps exist."""
    pages = list(built_site.rglob("index.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert 'hreflang="x-default"' in html, page
        for href in re.findall(r'<link rel="alternate" [^>]*href="([^"]*)"', html):
            assert href.endswith("feed.xml"), (page, href)
            feed = (built_site / href.removeprefix("https://example.org/") if href.startswith("https://")
                    else page.parent / href).resolve()
            assert feed.is_file() and feed.with_name("sitemap.xml").is_file(), (page, href)
    language = ET.fromstring((built_site / "tr" / "sitemap.xml").read_bytes())
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    assert len(list(language.iter(f"{namespace}loc"))) > 5, "a language home keeps its language's sitemap"


# --- translate --to ----------------------------------------------------------------------------------------

def test_translate_to_a_language_the_site_lacks_is_refused_naming_its_languages(
        repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(repo_copy / "translations")
    code = _cli("translate", "--engine", "pseudo", "--to", "de", "--docs-dir", repo_copy / "docs",
                "--translations-dir", repo_copy / "translations", "-f", repo_copy / "mkdocs.yml")
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert "--to de: not a language this site translates into (it configures tr, ru)" in err
    assert snapshot(repo_copy / "translations") == before


def test_translate_without_to_drafts_every_site_language(repo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = repo_copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    russian = text.index("        - locale: ru")
    config.write_text(text[:russian] + text[text.index("  - thinktank"):], encoding="utf-8")  # en and tr only
    about = repo_copy / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + f"\n{NEW_PARAGRAPH}\n", encoding="utf-8")
    code = _cli("translate", "--engine", "pseudo", "--docs-dir", repo_copy / "docs",
                "--translations-dir", repo_copy / "translations", "-f", config)
    out = capsys.readouterr().out
    assert code == 0
    assert [line.split(":")[0] for line in out.splitlines() if ": " in line and "pages" in line] == ["tr"]
    assert NEW_PARAGRAPH in (repo_copy / "translations" / "tr" / "about.po").read_text(encoding="utf-8")
    assert NEW_PARAGRAPH not in (repo_copy / "translations" / "ru" / "about.po").read_text(encoding="utf-8")


def test_pseudo_text_spelled_with_octal_escapes_is_still_found(tmp_path: Path) -> None:
    """The byte pre-check that spares parsing every catalog must not miss a mark a PO escape spells."""
    folder = tmp_path / "tr"
    folder.mkdir()
    mark = "".join(f"\\{byte:03o}" for byte in "⸨".encode())
    (folder / "a.po").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                 f'#, fuzzy\nmsgid "A draft."\nmsgstr "{mark}Â drâft. ··⸩"\n', encoding="utf-8")
    (folder / "b.po").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                 'msgid "Plain."\nmsgstr "Düz."\n', encoding="utf-8")
    assert [(item.path.name, item.entries) for item in preview.preview_catalogs(tmp_path, ["tr"])] == [("a.po", 1)]
