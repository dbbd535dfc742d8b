"""Re-running an import finishes the job: identical pages are up to date, staged batches are recovered."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from thinktank import staging
from thinktank.importers import ImportOptions, import_files
from thinktank.lock import LOCK_FILE
from thinktank.translation import source_pages

from .conftest import ROOT, snapshot

BATCH = [ROOT / "sources" / "ankasam-russia-north-korea-cooperation.txt",
         ROOT / "sources" / "pism-north-korea-strengthens-cooperation-with-russia.txt",
         ROOT / "tests" / "cases" / "generic-author-box.txt",
         ROOT / "tests" / "cases" / "generic-numbered-notes.txt"]
OPTIONS = ImportOptions()


class Killed(BaseException):
    """Stands in for SIGKILL: nothing after it runs, no cleanup either."""


def _stat(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def reference(tmp_path: Path) -> dict[str, bytes]:
    """What one uninterrupted import of BATCH writes."""
    docs = tmp_path / "reference"
    import_files(BATCH, docs, OPTIONS)
    return snapshot(docs)


def _interrupt(monkeypatch: pytest.MonkeyPatch, moves_before_kill: int) -> None:
    """Let ``staging`` move ``moves_before_kill`` files into place, then 'kill' the process."""
    real = os.replace
    moves = {"n": 0}

    def replace(src: str | Path, dst: str | Path) -> None:
        if Path(src).suffix == staging.STAGED_SUFFIX and Path(dst).suffix == ".md":
            if moves["n"] == moves_before_kill:
                raise Killed
            moves["n"] += 1
        real(src, dst)

    monkeypatch.setattr(staging.os, "replace", replace)


def test_reimporting_an_identical_batch_succeeds_and_writes_nothing(run_cli, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    first = run_cli("import", *BATCH, "--docs-dir", docs)
    assert first.code == 0, first.err
    assert "4 article(s) imported, 0 already up to date, 5 author entries written" in first.out
    before, stats = snapshot(docs), _stat(docs)
    again = run_cli("import", *BATCH, "--docs-dir", docs)
    assert again.code == 0, again.err
    assert again.out.splitlines() == ["0 article(s) imported, 4 already up to date, 0 author entries written"]
    assert snapshot(docs) == before
    assert _stat(docs) == stats, "an up-to-date import rewrote a file"


def test_a_different_existing_page_still_needs_force(run_cli, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    assert run_cli("import", *BATCH, "--docs-dir", docs).code == 0
    imported = snapshot(docs)
    page = docs / "analyses" / "the-black-sea-after-the-grain-deal.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nAn editor's addition.\n", encoding="utf-8")
    edited = snapshot(docs)
    refused = run_cli("import", *BATCH, "--docs-dir", docs)
    assert refused.code == 1
    errors = [line for line in refused.err.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {page}: already exists with other content (imported from {BATCH[3]}); "
                      "use --force to overwrite it"]
    assert snapshot(docs) == edited, "a refused import changed docs/"
    forced = run_cli("import", *BATCH, "--force", "--docs-dir", docs)
    assert forced.code == 0 and "1 article(s) imported, 3 already up to date" in forced.out
    assert snapshot(docs) == imported


def test_a_committed_batch_is_rolled_forward_by_the_next_import(tmp_path, reference, monkeypatch) -> None:
    docs = tmp_path / "docs"
    _interrupt(monkeypatch, moves_before_kill=2)
    with pytest.raises(Killed):
        import_files(BATCH, docs, OPTIONS)
    monkeypatch.undo()
    batches = list((docs / staging.STAGING_DIR).iterdir())
    assert len(batches) == 1 and (batches[0] / staging.JOURNAL).is_file()
    pages = {name for name in snapshot(docs) if name.endswith(".md") and staging.STAGING_DIR not in name}
    assert len(pages) == 2, "the interruption should fall between two moves"
    notices: list[str] = []
    report = import_files(BATCH, docs, OPTIONS, notice=notices.append)
    assert any("finished an interrupted import (9 file(s)" in line for line in notices), notices
    assert report.pages == [] and len(report.unchanged) == 4
    assert snapshot(docs) == reference


def test_an_uncommitted_batch_is_rolled_back_and_stray_temporary_files_go(tmp_path, reference) -> None:
    docs = tmp_path / "docs"
    batch = docs / staging.STAGING_DIR / "20240101T000000000000Z-4242"
    batch.mkdir(parents=True)
    (batch / f"00000{staging.STAGED_SUFFIX}").write_text("---\ntitle: Half a batch\n---\n", encoding="utf-8")
    (batch / f".{staging.JOURNAL}.k2j4h5g6.tmp").write_text('{"thinktank-import": 1, "fil', encoding="utf-8")
    (docs / "analyses").mkdir()
    (docs / "analyses" / ".old-page.md.a1b2c3d4.tmp").write_text("half a pa", encoding="utf-8")
    (docs / "analyses" / "notes.tmp").write_text("an editor's file, not ours", encoding="utf-8")
    notices: list[str] = []
    import_files(BATCH, docs, OPTIONS, notice=notices.append)
    assert (f"{batch}: removed an interrupted import that had not been committed (1 file(s) staged); "
            "nothing of it was applied") in notices
    assert f"{docs}: removed 1 temporary file(s) left by an interrupted write" in notices
    assert snapshot(docs) == {**reference, "analyses/notes.tmp": b"an editor's file, not ours"}


def test_the_empty_shell_of_a_finished_batch_is_removed_quietly(tmp_path, reference) -> None:
    docs = tmp_path / "docs"
    shell = docs / staging.STAGING_DIR / "20240101T000000000000Z-4242"
    shell.mkdir(parents=True)  # killed after its journal was removed, before the folder was
    (docs / staging.STAGING_DIR / ".stray.k2j4h5g6.tmp").write_text("", encoding="utf-8")
    notices: list[str] = []
    import_files(BATCH, docs, OPTIONS, notice=notices.append)
    assert notices == []
    assert snapshot(docs) == reference and not (docs / staging.STAGING_DIR).exists()


def test_a_page_edited_after_an_interrupted_commit_is_not_overwritten(tmp_path, monkeypatch) -> None:
    docs = tmp_path / "docs"
    _interrupt(monkeypatch, moves_before_kill=0)
    with pytest.raises(Killed):
        import_files(BATCH, docs, OPTIONS)
    monkeypatch.undo()
    page = docs / "analyses" / "background-of-russia-north-korea-cooperation.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("An editor got here first.\n", encoding="utf-8")
    with pytest.raises(staging.StagingError, match="changed since an interrupted import staged a new version"):
        import_files(BATCH, docs, OPTIONS)
    assert page.read_text(encoding="utf-8") == "An editor got here first.\n"
    assert (docs / staging.STAGING_DIR).is_dir(), "the staged version must be kept until someone decides"


HOLDER = """
import sys, time
from pathlib import Path
from thinktank.lock import hold
with hold(Path(sys.argv[1]), "thinktank import"):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_second_concurrent_import_is_refused_naming_the_holder(run_cli, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(docs)], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        before = snapshot(docs)
        result = run_cli("import", *BATCH, "--docs-dir", docs)
        assert result.code == 1
        assert [line for line in result.err.splitlines() if line.startswith("error:")] == [
            f"error: {docs / LOCK_FILE}: in use by thinktank import (pid {holder.pid} on {os.uname().nodename}); "
            "try again when it has finished"]
        assert snapshot(docs) == before
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()


def test_a_dead_holders_lock_is_taken_over_with_a_warning(run_cli, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / LOCK_FILE).write_text("2147483647\nelsewhere\nthinktank import\n", encoding="utf-8")
    result = run_cli("import", BATCH[2], "--docs-dir", docs)
    assert result.code == 0
    assert (f"warning: {docs / LOCK_FILE}: took over the lock left by thinktank import "
            "(pid 2147483647 on elsewhere), which is no longer running") in result.err.splitlines()
    assert not (docs / LOCK_FILE).exists()


def _staged_leftover(docs: Path) -> None:
    batch = docs / staging.STAGING_DIR / "20240101T000000000000Z-4242"
    batch.mkdir(parents=True)
    (batch / f"00000{staging.STAGED_SUFFIX}").write_text("# Staged\n\nNot a page yet.\n", encoding="utf-8")


def test_translate_page_discovery_does_not_see_staged_files(repo_copy: Path) -> None:
    docs = repo_copy / "docs"
    pages = source_pages(docs)
    _staged_leftover(docs)
    assert source_pages(docs) == pages


def test_mkdocs_does_not_build_the_staging_folder(tmp_path: Path) -> None:
    site = tmp_path / "site-src"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    _staged_leftover(site / "docs")
    batch = next((site / "docs" / staging.STAGING_DIR).iterdir())
    (batch / "page.md").write_text("# Would be a page\n", encoding="utf-8")  # even a staged .md is ignored
    (site / "mkdocs.yml").write_text("site_name: t\nstrict: true\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(site / "mkdocs.yml")],
                            capture_output=True, text=True, cwd=site, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    built = {p.relative_to(site / "site").as_posix() for p in (site / "site").rglob("*")}
    assert "index.html" in built
    assert not [name for name in built if staging.STAGING_DIR in name]
