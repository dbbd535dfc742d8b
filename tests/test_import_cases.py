"""Golden cases for dumps of unknown sites and legacy encodings.

Each ``tests/cases/<case>[.<codec>].txt`` is imported into a temporary docs
tree; everything written is compared with ``<case>.expect.md``. A ``codec``
in the name means the dump is saved in that encoding before import, as an
editor's old Windows tool would have done.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ROOT, snapshot

CASES = sorted((ROOT / "tests" / "cases").glob("*.txt"))


def _written(docs: Path) -> str:
    return "".join(f"==> {name} <==\n{data.decode('utf-8')}" for name, data in snapshot(docs).items())


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case_matches_golden(case: Path, tmp_path: Path, run_cli, golden) -> None:
    stem, _, codec = case.name.removesuffix(".txt").partition(".")
    dump = tmp_path / f"{stem}.txt"
    dump.write_bytes(case.read_text(encoding="utf-8").encode(codec or "utf-8"))
    result = run_cli("import", dump, "--date", "2024-09-15", "--docs-dir", tmp_path / "docs")
    assert result.code == 0, result.err
    golden(case.with_name(f"{stem}.expect.md"), _written(tmp_path / "docs"))
    if codec:
        names = {"cp1254": "Windows-1254", "cp1251": "Windows-1251"}
        assert f"not UTF-8; decoded as {names[codec]}" in result.err
