"""The argos engine on its real path, offline, with a tiny model built from scratch.

scripts/build_test_model.py makes a random-weight CTranslate2 model with a
SentencePiece tokenizer trained on the seeds; it is installed through
argostranslate's own code into a temporary ARGOS_PACKAGES_DIR, once from the
file and once from a file:// package index. Its output is nonsense: these
tests check the plumbing (install, batching, placeholders, QA, provenance).
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import polib
import pytest

from .conftest import ROOT, snapshot

pytest.importorskip("argostranslate", reason="install the argos extra: pip install -e '.[argos]'")


def load_builder() -> Any:
    """scripts/build_test_model.py as a module (registered, as its dataclasses need)."""
    if "build_test_model" in sys.modules:
        return sys.modules["build_test_model"]
    spec = importlib.util.spec_from_file_location("build_test_model", ROOT / "scripts" / "build_test_model.py")
    assert spec is not None and spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    sys.modules["build_test_model"] = builder
    spec.loader.exec_module(builder)
    return builder


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    builder = load_builder()
    out = tmp_path_factory.mktemp("models")
    archives = [builder.build(lang, out) for lang in ("tr", "ru")]
    builder.write_index(archives, out)
    return out


@pytest.fixture
def argos_env(tmp_path: Path) -> dict[str, str]:
    """A private argos home: packages, settings and caches all under tmp_path."""
    home = tmp_path / "home"
    home.mkdir()
    return {**os.environ, "HOME": str(home), "ARGOS_PACKAGES_DIR": str(tmp_path / "packages"),
            "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache")}


def thinktank(env: dict[str, str], *args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "thinktank.cli", *map(str, args)],
                          capture_output=True, text=True, env=env, cwd=cwd)


def test_translate_without_a_model_names_the_install_command(repo_copy: Path, argos_env) -> None:
    before = snapshot(repo_copy / "translations")
    result = thinktank(argos_env, "translate", "--to", "tr", cwd=repo_copy)
    assert result.returncode == 1
    assert "no argos model for en→tr is installed; install one with: thinktank models install tr" in result.stderr
    assert snapshot(repo_copy / "translations") == before


def test_install_from_file_and_from_a_file_index(models: Path, argos_env) -> None:
    result = thinktank(argos_env, "models", "install", "--from", models / "translate-en_tr-0_0_1.argosmodel")
    assert result.returncode == 0, result.stderr
    assert "installed translate-en_tr 0.0.1" in result.stdout
    result = thinktank(argos_env, "models", "install", "ru", "--index", models.as_uri() + "/")
    assert result.returncode == 0, result.stderr
    assert "installed translate-en_ru 0.0.1" in result.stdout
    listing = thinktank(argos_env, "models", "list").stdout
    assert "translate-en_tr      0.0.1      en→tr  installed" in listing
    assert "translate-en_ru      0.0.1      en→ru  installed" in listing
    assert (Path(argos_env["ARGOS_PACKAGES_DIR"]) / "translate-en_tr-0_0_1" / "metadata.json").exists()


def test_install_refuses_a_file_that_is_not_a_model(tmp_path: Path, argos_env) -> None:
    fake = tmp_path / "fake.argosmodel"
    fake.write_text("not a zip", encoding="utf-8")
    result = thinktank(argos_env, "models", "install", "--from", fake)
    assert result.returncode == 1
    assert "fake.argosmodel: not an argos model" in result.stderr


def test_argos_drafts_are_batched_fuzzy_with_provenance_and_markup(models: Path, repo_copy: Path, argos_env) -> None:
    for lang in ("tr", "ru"):
        assert thinktank(argos_env, "models", "install", "--from",
                         models / f"translate-en_{lang}-0_0_1.argosmodel").returncode == 0
    for po in (repo_copy / "translations" / "tr").rglob("*.po"):
        po.unlink()
    result = thinktank(argos_env, "translate", "--to", "tr", cwd=repo_copy)
    assert result.returncode == 0, result.stderr
    assert "engine argos: 1 batch call(s)" in result.stdout  # every pending segment in one call

    entries = [entry for po in (repo_copy / "translations" / "tr").rglob("*.po") for entry in polib.pofile(str(po))]
    machine = [entry for entry in entries if "machine draft" in entry.comment]
    assert machine and all("fuzzy" in entry.flags for entry in entries)
    assert {entry.comment.splitlines()[0] for entry in machine} == {"machine draft: argos translate-en_tr 0.0.1"}
    for entry in machine:
        for ref in set(re.findall(r"\[\^\d+\]", entry.msgid)):
            assert ref in entry.msgstr, "a footnote ref was lost"
        assert "⟦" not in entry.msgstr, "a placeholder leaked into the draft"
    assert any(line.startswith("qa: ") for entry in machine for line in entry.comment.splitlines()), \
        "nonsense output must be flagged by QA"
    link = next(entry for entry in machine if "](analyses/index.md)" in entry.msgid)
    assert "](analyses/index.md)" in link.msgstr or "missing link target analyses/index.md" in link.comment

    again = thinktank(argos_env, "translate", "--to", "tr", cwd=repo_copy)
    assert "engine argos: 0 batch call(s), 0 segment(s)" in again.stdout


def test_long_batches_report_progress_sentence_by_sentence(models: Path, argos_env) -> None:
    assert thinktank(argos_env, "models", "install", "--from", models / "translate-en_tr-0_0_1.argosmodel").returncode == 0
    script = (
        "from thinktank.engines.argos import ArgosEngine\n"
        "seen = []\n"
        "engine = ArgosEngine(lambda done, total: seen.append((done, total)))\n"
        "out = engine.translate_batch(['One sentence. Two sentences.', 'Three.'], 'tr')\n"
        "print(len(out), engine.batches, seen)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=argos_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2 1 [(1, 3), (2, 3), (3, 3)]"
