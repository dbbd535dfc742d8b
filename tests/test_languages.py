"""Languages are configuration: a fourth language from mkdocs.yml and one data file; nothing falls back to English."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from thinktank import catalog, languages, qa, ui_text
from thinktank.glossary import Glossary
from thinktank.languages import LanguageError

from .conftest import build_site, copy_site_sources, snapshot

GERMAN = Path(__file__).parent / "languages" / "de.yml"
PISM = "analyses/north-korea-strengthens-cooperation-with-russia"
ANKASAM = "analyses/background-of-russia-north-korea-cooperation"


@pytest.fixture(autouse=True)
def _restore_registry() -> Iterator[None]:
    """The registry in use is process-wide; each test leaves the packaged one behind."""
    previous = languages.use(languages.Registry())
    yield
    languages.use(previous)


def _add_languages(work: Path, *codes: str) -> Path:
    """The site's mkdocs.yml with ``codes`` added to mkdocs-static-i18n's languages: configuration only."""
    config_file = work / "mkdocs.yml"
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_NamesLoader)  # noqa: S506 (safe + names)
    i18n = next(item["i18n"] for item in config["plugins"] if isinstance(item, dict) and "i18n" in item)
    i18n["languages"] += [{"locale": code, "name": code.upper(), "build": True} for code in codes]
    config_file.write_text(yaml.dump(config, Dumper=_NamesDumper, allow_unicode=True, sort_keys=False),
                           encoding="utf-8")
    return config_file


class _Name(str):
    """A ``!!python/name:`` value of mkdocs.yml (the toc slugify function), kept as written."""


class _NamesLoader(yaml.SafeLoader):
    """PyYAML's safe loader that keeps MkDocs' ``!!python/name:`` tags as :class:`_Name` instead of refusing them."""


class _NamesDumper(yaml.SafeDumper):
    pass


_NAME_TAG = "tag:yaml.org,2002:python/name:"
_NamesLoader.add_multi_constructor(_NAME_TAG, lambda loader, suffix, node: _Name(suffix))
_NamesDumper.add_representer(_Name, lambda dumper, name: dumper.represent_scalar(_NAME_TAG + name, ""))


def _site_with_german(work: Path) -> Path:
    copy_site_sources(work)
    (work / "languages").mkdir()
    shutil.copy(GERMAN, work / "languages" / "de.yml")
    page = work / "docs" / f"{PISM}.md"
    page.write_text(page.read_text(encoding="utf-8").replace("authors:", "date: 2024-02-01\nauthors:", 1),
                    encoding="utf-8")
    return _add_languages(work, "de")


def _mkdocs(config_file: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file)],
                          capture_output=True, text=True, env=env, cwd=config_file.parent)


def test_a_fourth_language_needs_only_mkdocs_yml_and_a_data_file(tmp_path: Path, run_cli, monkeypatch) -> None:
    monkeypatch.setenv("THINKTANK_ALLOW_PREVIEW", "1")  # a preview build: the drafts are the pseudo engine's
    work = tmp_path / "site"
    config_file = _site_with_german(work)
    before = snapshot(work / "translations")

    # No --to: the CLI translates into the i18n languages of mkdocs.yml but the default one.
    result = run_cli("translate", "--engine", "pseudo", "-f", config_file, "--docs-dir", work / "docs",
                     "--translations-dir", work / "translations")
    assert result.code == 0, result.err
    assert [line.split(":")[0] for line in result.out.splitlines()[:3]] == ["tr", "ru", "de"]
    after = snapshot(work / "translations")
    assert {k: v for k, v in after.items() if not k.startswith("de/")} == before  # tr, ru untouched
    header = (work / "translations" / "de" / f"{PISM}.po").read_text(encoding="utf-8")
    assert "into German." in header and '"Language-Team: German\\n"' in header and '"Language: de\\n"' in header
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in header

    site = build_site(work)
    article = (site / "de" / PISM / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de"' in article
    assert "1. Februar 2024" in article and "Min. Lesezeit" in article  # date format and months from de.yml
    assert "Diese Analyse zitieren" in article and "Über den Autor" in article
    assert "Maschinell übersetzter Entwurf, noch nicht geprüft." in article
    assert 'title="Zurück zur Fußnote 1 im Text"' in (site / "de" / ANKASAM / "index.html").read_text(encoding="utf-8")
    assert "1 February 2024" in (site / PISM / "index.html").read_text(encoding="utf-8")
    assert "<h2 id=\"analysen-von-" in (site / "de" / "authors" / "oskar-pietrewicz" / "index.html").read_text(encoding="utf-8")
    not_found = (site / "de" / "404.html").read_text(encoding="utf-8")  # issue 11: a 404 page per language
    assert '<html lang="de"' in not_found
    assert '<p>Diese Seite gibt es nicht. <a href="/de/">Zur Startseite</a>.</p>' in not_found
    feed = (site / "de" / "feed.xml").read_text(encoding="utf-8")
    assert "<language>de</language>" in feed and "auf Deutsch." in feed
    index = json.loads((site / "de" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["de"] and index["docs"]
    assert 'hreflang="de"' in (site / "index.html").read_text(encoding="utf-8")


def test_a_configured_language_without_data_stops_the_build_naming_it(tmp_path: Path) -> None:
    work = copy_site_sources(tmp_path / "site")
    config_file = _add_languages(work, "fr")
    result = _mkdocs(config_file)
    assert result.returncode == 1
    assert result.stderr == (f"ERROR   -  {work / 'languages'}: no language data for 'fr' (configured in mkdocs.yml): "
                             "add fr.yml here (data exists for en, ru, tr)\n")


def test_the_cli_names_a_configured_language_without_data(tmp_path: Path, run_cli) -> None:
    work = copy_site_sources(tmp_path / "site")
    config_file = _add_languages(work, "fr", "de")
    result = run_cli("status", "-f", config_file, "--docs-dir", work / "docs", "--translations-dir", work / "translations")
    assert result.code == 1
    assert result.err == (f"error: {work / 'languages'}: no language data for 'fr', 'de' (configured in mkdocs.yml): "
                          "add fr.yml, de.yml here (data exists for en, ru, tr)\n")


def test_a_missing_label_names_the_language_the_file_and_the_keys(tmp_path: Path) -> None:
    work = _site_with_german(tmp_path / "site").parent
    data = work / "languages" / "de.yml"
    data.write_text("\n".join(line for line in data.read_text(encoding="utf-8").splitlines()
                              if not line.startswith(("  cite:", "  feed:"))), encoding="utf-8")
    result = _mkdocs(work / "mkdocs.yml")
    assert result.returncode == 1
    assert result.stderr == f"ERROR   -  {data}: language 'de' (German): missing labels cite, feed\n"


@pytest.mark.parametrize(("change", "problem"), [
    (("  cite: Diese Analyse zitieren", "  cite: Zitieren {title}"),
     "label cite uses {title} (it may use: none)"),
    (("  feed: Die neuesten Analysen von {site}, auf Deutsch.", "  feed: Die neuesten {"),
     "label feed: Single '{' encountered in format string"),
    (("Dezember]", "]"), "months must list the 12 month names"),
    (('date_format: "{day}. {month} {year}"', 'date_format: "{weekday}, {day}. {month}"'),
     "date_format uses {weekday} (it may use: {day}, {month}, {year})"),
    (("plural_forms: ", "plural_form: "), "missing plural_forms"),
    (("{ending_letters: 1, min_stem: 3}", "{ending_letters: -1}"),
     "glossary_inflection: ending_letters and min_stem must be whole numbers, 0 or more"),
    (("  by: \"Von\"", "  by: \"Von\"\n  byline: Von"), "unknown labels byline"),
])
def test_every_defect_of_a_data_file_is_named_in_one_line(tmp_path: Path, change: tuple[str, str], problem: str) -> None:
    text = GERMAN.read_text(encoding="utf-8")
    assert change[0] in text
    path = tmp_path / "de.yml"
    path.write_text(text.replace(change[0], change[1]), encoding="utf-8")
    with pytest.raises(LanguageError) as caught:
        languages.Registry([tmp_path]).get("de")
    message = str(caught.value)
    assert message.startswith(f"{path}: language 'de'") and problem in message and "\n" not in message


def test_labels_dates_and_catalogs_of_an_unknown_language_are_errors_not_english() -> None:
    for attempt in (lambda: ui_text.label("cite", "de"), lambda: ui_text.format_date(None, "de"),
                    lambda: catalog.new_catalog("de", "x.md"), lambda: Glossary().for_language("de")):
        with pytest.raises(LanguageError, match=r"no language data for 'de'"):
            attempt()


def test_the_packaged_languages_keep_their_words() -> None:
    assert ui_text.label("cite", "tr") == "Bu analize atıf yapın"
    import datetime as dt

    assert ui_text.format_date(dt.date(2024, 2, 1), "ru") == "1 февраля 2024"
    assert ui_text.format_date(dt.date(2024, 2, 1), "tr") == "1 Şubat 2024"
    headers = catalog.new_catalog("ru", "x.md").metadata
    assert headers["Language-Team"] == "Russian" and headers["Plural-Forms"].startswith("nplurals=3;")


def test_a_site_file_is_read_before_the_packaged_one_of_the_same_code(tmp_path: Path) -> None:
    folder = tmp_path / "languages"
    folder.mkdir()
    text = (languages.PACKAGED / "tr.yml").read_text(encoding="utf-8")
    (folder / "tr.yml").write_text(text.replace("Bu analize atıf yapın", "Atıf"), encoding="utf-8")
    languages.use(languages.Registry([folder, languages.PACKAGED]))
    assert ui_text.label("cite", "tr") == "Atıf"


def test_qa_allows_the_endings_the_target_language_allows(tmp_path: Path) -> None:
    strict = tmp_path / "strict"
    strict.mkdir()
    (strict / "de.yml").write_text(GERMAN.read_text(encoding="utf-8").replace(
        "{ending_letters: 1, min_stem: 3}", "{ending_letters: 0, min_stem: 3}"), encoding="utf-8")
    glossary = Glossary(terms={"Russia": {"de": "Russland"}})
    source, target = "Russia's aims.", "Russlan"  # the form less one letter
    languages.use(languages.Registry([GERMAN.parent]))
    assert qa.check_glossary(source, target, glossary.for_language("de")) == []
    languages.use(languages.Registry([strict]))
    assert qa.check_glossary(source, target, glossary.for_language("de")) == ["glossary: 'Russia' should read 'Russland'"]


def test_cli_defaults_come_from_mkdocs_yml_or_say_where_they_come_from(tmp_path: Path, run_cli) -> None:
    work = copy_site_sources(tmp_path / "site")
    config = (work / "mkdocs.yml").read_text(encoding="utf-8")
    start, end = config.index("        - locale: ru"), config.index("  - thinktank")
    (work / "mkdocs.yml").write_text(config[:start] + config[end:], encoding="utf-8")
    dirs = ("--docs-dir", work / "docs", "--translations-dir", work / "translations")
    shown = run_cli("status", "-f", work / "mkdocs.yml", *dirs)
    assert shown.code == 0 and shown.err == "", shown.err
    assert [line.split()[0] for line in shown.out.splitlines() if not line.startswith(" ")] == ["tr"]
    missing = tmp_path / "nowhere" / "mkdocs.yml"
    fallback = run_cli("status", "-f", missing, *dirs)
    assert fallback.code == 0
    assert fallback.err == (f"warning: {missing}: no such file, so using every packaged language but en: ru,tr "
                            "(give --to/--lang, or --config-file)\n")
    assert [line.split()[0] for line in fallback.out.splitlines() if not line.startswith(" ")] == ["ru", "tr"]


def test_the_default_language_must_be_the_language_of_docs(tmp_path: Path) -> None:
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text("site_name: x\nplugins:\n  - i18n:\n      languages:\n        - locale: en\n"
                           "        - locale: tr\n          default: true\n", encoding="utf-8")
    with pytest.raises(LanguageError, match=r"mkdocs.yml: the default language is 'tr', but docs/ is written in 'en'"):
        languages.activate_config(config_file)
