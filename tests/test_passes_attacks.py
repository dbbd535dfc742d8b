"""Attacks on the fork of the translated passes (:mod:`thinktank.mkdocs_plugin.passes`), issue 12.

Each test is a site or a failure the committed site does not show: built with the fork and with
``parallel: false``, the two must not differ (files, printed lines, exit status).
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from .conftest import copy_site_sources, snapshot
from .test_passes import FORKED, Recorder, _broken_ru_catalog, _mkdocs, _needs_two_cores, both_ways


def _errors(result: Any, work: Path) -> list[str]:
    """What a build printed of its warnings and errors, with the project folder as WORK."""
    return [line.replace(str(work), "WORK") for line in result.stderr.splitlines()
            if line.startswith(("WARNING", "ERROR", "Aborted", "Traceback"))]


# --- The fork's printed lines ---------------------------------------------------------------------


class Talking(Recorder):
    """Stand-in passes that each print a line on standard error (as MkDocs' log does) and standard output; tr's
    ends after the fork's pass has printed its line."""

    def build(self, config: Any, dirty: bool = False) -> None:
        if self.current == "tr":
            while not (self.folder / "ru").exists():
                pass
            time.sleep(0.05)
        os.write(2, f"pass {self.current}\n".encode())
        os.write(1, f"out {self.current}\n".encode())
        super().build(config, dirty)


def test_the_fork_s_lines_are_printed_after_this_process_s_passes(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    Talking(tmp_path).run(["tr", "ru"])
    captured = capfd.readouterr()
    assert captured.err.splitlines() == ["pass tr", "pass ru"], "in the order one process prints them"
    assert captured.out.splitlines() == ["out tr", "out ru"]


def test_the_fork_s_lines_are_not_printed_when_a_pass_here_fails_first(tmp_path: Path,
                                                                       capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(RuntimeError, match="tr broke"):
        Talking(tmp_path, {"tr": RuntimeError("tr broke")}).run(["tr", "ru"])
    assert capfd.readouterr().err.splitlines() == ["pass tr"], "one process would never have started ru's pass"


def test_when_both_processes_fail_the_build_prints_what_one_process_prints(tmp_path: Path) -> None:
    """A --strict warning in tr's pass (here) and a broken catalog in ru's (the fork): one process stops at tr."""
    def broken(work: Path) -> None:
        catalog = work / "translations" / "tr" / "index.po"
        text = catalog.read_text("utf-8")
        at = text.index("msgstr", text.index('msgid "[All analyses](analyses/index.md)'))
        catalog.write_text(text[:at] + text[at:].replace("analyses/index.md", "analyses/missing.md", 1), "utf-8")
        _broken_ru_catalog(work)

    printed = {}
    for name, (work, result) in both_ways(tmp_path, "--strict", change=broken).items():
        assert result.returncode == 1
        printed[name] = _errors(result, work)
    assert printed["forked"] == printed["alone"]
    assert not any("ru/about.po" in line for line in printed["forked"]), printed["forked"]


# --- Sites unlike the committed one -----------------------------------------------------------------


def test_a_site_without_site_url_is_the_site_built_without_a_fork(tmp_path: Path) -> None:
    """static-i18n's sitemap then writes each page as ``None`` + its URL; the fork's entries must still come back."""
    def without_site_url(work: Path) -> None:
        config = work / "mkdocs.yml"
        config.write_text(config.read_text("utf-8").replace("site_url: https://example.org/\n", ""), "utf-8")

    built = {}
    for name, (work, result) in both_ways(tmp_path, change=without_site_url).items():
        assert result.returncode == 0, result.stderr
        built[name] = snapshot(work / "site")
    assert built["forked"]["sitemap.xml"].decode() == built["alone"]["sitemap.xml"].decode()
    assert built["forked"] == built["alone"]


def test_a_site_s_own_sitemap_template_has_its_languages_built_one_after_another(tmp_path: Path) -> None:
    """A sitemap.xml in overrides/ renders only its pass's pages (static-i18n then leaves it alone): the last
    pass's is the site's, which the fork's entries added to this process's would not be."""
    _needs_two_cores()
    work = copy_site_sources(tmp_path / "site")
    (work / "overrides" / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset>\n{%- for file in pages %}{% if not file.page.is_link %}\n'
        '<url><loc>{{ file.page.canonical_url }}</loc></url>{% endif %}{%- endfor %}\n</urlset>\n', "utf-8")
    result = _mkdocs(work)
    assert result.returncode == 0, result.stderr
    assert not FORKED.search(result.stderr)
    assert "languages built one after another: the root sitemap.xml is the site's own template" in result.stderr
    sitemap = (work / "site" / "sitemap.xml").read_text("utf-8")
    locations = re.findall(r"<loc>([^<]*)</loc>", sitemap)
    assert "https://example.org/ru/about/" in locations
    assert "https://example.org/tr/about/" not in locations, "the last pass's (ru) pages alone, as in one process"


if sys.platform != "linux":  # pragma: no cover - the fork is Linux only
    pytestmark = pytest.mark.skip("no fork here")
