"""``thinktank review``: the sheet needs a language and a page; ``--serve`` refuses an open address without a token."""

from __future__ import annotations

from pathlib import Path


def test_review_without_serve_needs_a_language_and_a_page(run_cli, tmp_path: Path) -> None:
    result = run_cli("review", "--docs-dir", tmp_path / "docs")
    assert result.code == 1 and result.err == ("error: review needs LANG and PAGE to write a sheet "
                                               "(or --serve for the browser editor)\n")


def test_serve_on_an_open_address_needs_a_token(run_cli, tmp_path: Path) -> None:
    result = run_cli("review", "--serve", "--host", "0.0.0.0", "--config-file", "mkdocs.yml")
    assert result.code == 1 and "is not a loopback address" in result.err and "--token" in result.err
    assert result.err.count("\n") == 1
