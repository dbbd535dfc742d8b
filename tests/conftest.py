"""Shared fixtures: the CLI runner, golden-file comparison, repository paths."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from thinktank.cli import main

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("THINKTANK_PDF", "false")
"""Site builds in tests skip the PDFs (a second or more each) unless a test asks for them
(``tests/test_browser.py`` and ``tests/test_pdf.py`` do)."""
SITE_SOURCES = ("docs", "translations", "overrides")
"""What ``mkdocs build`` reads besides mkdocs.yml."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run ``thinktank`` in-process and capture what a user would see."""

    def run(*args: str | Path) -> CliResult:
        try:
            code = main([str(arg) for arg in args])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[Path, str], None]:
    """Compare text with a golden file; ``--update-golden`` rewrites it instead."""
    update = request.config.getoption("--update-golden")

    def check(path: Path, actual: str) -> None:
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {path}; run pytest --update-golden"
        assert actual == path.read_text(encoding="utf-8"), f"output differs from {path}"

    return check


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A copy of the site sources (docs, translations, mkdocs.yml) to change freely."""
    return copy_site_sources(tmp_path / "repo")


def copy_site_sources(work: Path) -> Path:
    import shutil

    for name in SITE_SOURCES:
        shutil.copytree(ROOT / name, work / name)
    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    return work


def build_site(work: Path) -> Path:
    """``mkdocs build --strict`` in ``work``; fails the test on any warning."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(work / "mkdocs.yml")],
                            capture_output=True, text=True, env=env, cwd=work)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return work / "site"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed site sources, built once per test session in a temporary copy."""
    return build_site(copy_site_sources(tmp_path_factory.mktemp("committed-site")))


def saved_cache(path: Path, *items: tuple[str, str, bytes, object]) -> None:
    """A build cache at ``path`` holding ``items`` (kind, name, file bytes, value), as a finished build leaves it."""
    from thinktank.build_cache import BuildCache

    cache = BuildCache(path)
    for kind, name, data, value in items:
        cache.put(kind, name, data, value)
    cache.save()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, to prove nothing changed."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium through Playwright, once per test module (skipped, or failed under CI, without it)."""
    from .test_browser import CHROMIUM, CHROMIUM_ARGS, _require

    _require(Path(CHROMIUM).exists(), "chromium")
    playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
