"""A translator's reviewed work survives source edits, concurrent saves and kills.

Each test attacks one promise: the property test edits sources at random, the
race test saves a catalog between translate's read and write, and the kill
test SIGKILLs translate at random moments over hundreds of reviewed pages.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thinktank import catalog, po
from thinktank.engines.pseudo import PseudoEngine
from thinktank.fsutil import atomic_write_text
from thinktank.translation import translate

WORDS = ["policy", "sanctions", "Moscow", "Ankara", "the", "cooperation", "of", "security", "2024", "energy",
         "trade", "and", "military", "visit", "pipeline", "council", "report"]


def _paragraph(rng: random.Random, number: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
    return f"Paragraph {number}: " + " ".join(words) + "."


def _write_page(docs: Path, uri: str, paragraphs: list[str], notes: list[str]) -> None:
    body = "\n\n".join(paragraphs)
    if notes:
        body += "\n\n" + "\n".join(f"[^{n}]: {text}" for n, text in enumerate(notes, start=1))
    atomic_write_text(docs / uri, f"---\ntitle: Page {uri}\n---\n\n{body}\n")


def _review_everything(translations: Path, prefix: str = "reviewed") -> dict[tuple[str, str, str], str]:
    """Act as translators who approve every entry with their own text; returns what they wrote."""
    reviewed = {}
    for path in sorted(translations.rglob("*.po")):
        cat = po.read(path)
        for entry in cat:
            if entry.obsolete:
                continue
            entry.msgstr = f"{prefix}: {entry.msgid[:40]}"
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            reviewed[(str(path.relative_to(translations)), entry.msgid, entry.msgstr)] = entry.msgstr
        atomic_write_text(path, po.render(cat))
    return reviewed


def _assert_reviewed_work_kept(translations: Path, docs: Path, reviewed: dict[tuple[str, str, str], str]) -> None:
    """Every reviewed msgstr is unchanged, or the fuzzy msgstr of its edited source, or obsolete. Never absent."""
    catalogs: dict[str, list] = {}
    for (rel, msgid, text) in reviewed:
        entries = catalogs.setdefault(rel, list(po.read(translations / rel)))
        same = [e for e in entries if e.msgid == msgid and e.msgctxt is None]
        if same and not same[0].obsolete:
            assert same[0].msgstr == text and "fuzzy" not in same[0].flags, f"{rel}: reviewed {msgid[:40]!r} changed"
        else:
            holders = [e for e in entries if e.msgstr == text]
            assert holders, f"{rel}: reviewed translation of {msgid[:40]!r} is gone"
            assert all(e.obsolete or "fuzzy" in e.flags for e in holders)


# --- Property: random edits and reviews ------------------------------------------------------------

OPERATION = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 20), st.sampled_from(WORDS)),
    st.tuples(st.just("insert"), st.integers(0, 20), st.integers(0, 10_000)),
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("move"), st.integers(0, 20), st.integers(0, 20)),
    st.tuples(st.just("edit-note"), st.integers(0, 5), st.sampled_from(WORDS)),
    st.tuples(st.just("review"), st.integers(0, 30)),
)


ROUNDS = st.lists(st.lists(OPERATION, min_size=1, max_size=4), min_size=1, max_size=5)
_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]


@settings(max_examples=20, deadline=None, suppress_health_check=_QUIET)
@given(ROUNDS, st.integers(0, 2**16))
def test_reviewed_translations_are_never_lost_whatever_the_edits(tmp_path_factory: pytest.TempPathFactory,
                                                                rounds: list[list[tuple]], seed: int) -> None:
    _edit_review_translate(tmp_path_factory.mktemp("prop"), rounds, seed)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=_QUIET)
@given(ROUNDS, st.integers(0, 2**16))
def test_reviewed_translations_are_never_lost_over_many_edit_histories(tmp_path_factory: pytest.TempPathFactory,
                                                                      rounds: list[list[tuple]], seed: int) -> None:
    _edit_review_translate(tmp_path_factory.mktemp("prop"), rounds, seed)


def _edit_review_translate(work: Path, rounds: list[list[tuple]], seed: int) -> None:
    docs, translations = work / "docs", work / "translations"
    rng = random.Random(seed)
    paragraphs = [_paragraph(rng, n) + f" [^{n % 3 + 1}]" for n in range(6)]
    notes = [f"Note {n}: " + _paragraph(rng, n) for n in range(3)]
    _write_page(docs, "a.md", paragraphs, notes)
    translate(docs, translations, ["tr"], PseudoEngine())
    reviewed = _review_everything(translations)
    for operations in rounds:
        for operation in operations:
            kind, *args = operation
            if kind == "edit" and paragraphs:
                i = args[0] % len(paragraphs)
                paragraphs[i] = paragraphs[i].replace(".", f" {args[1]}.", 1)
            elif kind == "insert":
                paragraphs.insert(args[0] % (len(paragraphs) + 1), f"New {args[1]}: " + _paragraph(rng, args[1]))
            elif kind == "delete" and paragraphs:
                del paragraphs[args[0] % len(paragraphs)]
            elif kind == "move" and paragraphs:
                paragraphs.insert(args[1] % len(paragraphs), paragraphs.pop(args[0] % len(paragraphs)))
            elif kind == "edit-note":
                i = args[0] % len(notes)
                notes[i] = notes[i].replace(":", f": {args[1]}", 1)
            elif kind == "review":
                path = translations / "tr" / "a.po"
                cat = po.read(path)
                live = [e for e in cat if not e.obsolete and "fuzzy" in e.flags]
                if live:
                    entry = live[args[0] % len(live)]
                    for key in [key for key in reviewed if key[2] == entry.msgstr]:
                        del reviewed[key]  # the reviewer replaces their own earlier text
                    entry.msgstr = f"approved {args[0]}: {entry.msgid[:30]}"
                    entry.flags.remove("fuzzy")
                    entry.previous_msgid = None
                    reviewed[("tr/a.po", entry.msgid, entry.msgstr)] = entry.msgstr
                    atomic_write_text(path, po.render(cat))
        _write_page(docs, "a.md", paragraphs, notes)
        translate(docs, translations, ["tr"], PseudoEngine())
        _assert_reviewed_work_kept(translations, docs, reviewed)


# --- Race: a translator saves while translate runs ------------------------------------------------------

class _TranslatorSavesMidRun(PseudoEngine):
    """While the engine works (after translate read the catalogs), a translator saves one of them."""

    def __init__(self, path: Path, msgid: str, text: str) -> None:
        super().__init__()
        self.path, self.msgid, self.text = path, msgid, text

    def translate_batch(self, texts: list[str], target: str) -> list[str]:
        cat = po.read(self.path)
        entry = cat.find(self.msgid)
        assert entry is not None
        entry.msgstr, entry.flags = self.text, []
        atomic_write_text(self.path, po.render(cat))  # as Poedit would: a whole new file
        return super().translate_batch(texts, target)


def test_a_catalog_saved_by_a_translator_while_translate_runs_is_never_lost(tmp_path: Path) -> None:
    docs, translations = tmp_path / "docs", tmp_path / "translations"
    rng = random.Random(7)
    paragraphs = [_paragraph(rng, n) for n in range(5)]
    _write_page(docs, "a.md", paragraphs, [])
    translate(docs, translations, ["tr"], PseudoEngine())
    path = translations / "tr" / "a.po"
    paragraphs.append("A brand new paragraph about energy security.")  # gives translate something to write
    _write_page(docs, "a.md", paragraphs, [])
    engine = _TranslatorSavesMidRun(path, paragraphs[1], "Çevirmenin kaydettiği metin.")

    translate(docs, translations, ["tr"], engine)

    cat = po.read(path)
    saved = cat.find(paragraphs[1])
    assert saved is not None and saved.msgstr == "Çevirmenin kaydettiği metin." and "fuzzy" not in saved.flags
    assert cat.find("A brand new paragraph about energy security.") is not None, "translate's work landed too"
    assert not list(translations.rglob("*.tmp"))


# --- Kill: SIGKILL translate at random moments ------------------------------------------------------------

def _site(work: Path, pages: int, edited: int, seed: int) -> tuple[Path, Path, dict[tuple[str, str, str], str]]:
    rng = random.Random(seed)
    docs, translations = work / "docs", work / "translations"
    bodies = {}
    for number in range(pages):
        paragraphs = [_paragraph(rng, number * 10 + k) for k in range(5)]
        bodies[f"p{number:03}.md"] = paragraphs
        _write_page(docs, f"p{number:03}.md", paragraphs, [f"Source {number}, accessed 1 May 2024."])
    translate(docs, translations, ["tr", "ru"], PseudoEngine())
    reviewed = _review_everything(translations)
    for uri in rng.sample(sorted(bodies), edited):
        paragraphs = bodies[uri]
        paragraphs[1] = paragraphs[1].replace(".", " indeed.", 1)
        paragraphs.append(f"An added paragraph on {uri}.")
        _write_page(docs, uri, paragraphs, [f"Source {uri}, accessed 1 May 2024."])
    return docs, translations, reviewed


def _translate_command(docs: Path, translations: Path) -> list[str]:
    return [sys.executable, "-m", "thinktank.cli", "translate", "--engine", "pseudo", "--to", "tr,ru",
            "--docs-dir", str(docs), "--translations-dir", str(translations)]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _assert_all_valid(translations: Path) -> None:
    for path in translations.rglob("*.po"):
        po.read(path)
    if shutil.which("msgfmt"):
        files = [str(p) for p in translations.rglob("*.po")]
        for path in files:
            result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", path], capture_output=True, text=True)
            assert result.returncode == 0, result.stderr


def _wait_for_lock(proc: subprocess.Popen[bytes], translations: Path) -> float:
    """When ``proc`` (a translate run) holds its lock, i.e. has started its work."""
    lock = translations / ".thinktank.lock"
    while not lock.exists() and proc.poll() is None:
        time.sleep(0.005)
    return time.monotonic()


def _kill_loop(tmp_path: Path, pages: int, edited: int, kills: int) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONPATH": os.pathsep.join(sys.path)}
    base = tmp_path / "base"
    os.environ["SOURCE_DATE_EPOCH"] = env["SOURCE_DATE_EPOCH"]
    docs, translations, reviewed = _site(base, pages, edited, seed=1)
    expected_dir = tmp_path / "expected"
    shutil.copytree(base, expected_dir)
    proc = subprocess.Popen(_translate_command(expected_dir / "docs", expected_dir / "translations"), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = _wait_for_lock(proc, expected_dir / "translations")
    assert proc.wait() == 0
    duration = time.monotonic() - started  # from taking the lock to the end: the part worth killing
    expected = _tree(expected_dir / "translations")
    original = _tree(translations)
    rng = random.Random(2)
    midway = 0
    for kill in range(kills):
        work = tmp_path / f"kill{kill}"
        shutil.copytree(base, work)
        proc = subprocess.Popen(_translate_command(work / "docs", work / "translations"), env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for_lock(proc, work / "translations")
        time.sleep(rng.uniform(0, duration))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        _assert_all_valid(work / "translations")
        _assert_reviewed_work_kept(work / "translations", work / "docs", reviewed)
        now = _tree(work / "translations")
        midway += now != original and any(now.get(name) != data for name, data in expected.items())
        result = subprocess.run(_translate_command(work / "docs", work / "translations"), env=env,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert _tree(work / "translations") == expected, f"kill {kill}: the re-run did not converge"
        shutil.rmtree(work)
    assert midway >= kills // 3, f"only {midway} of {kills} kills landed while catalogs were being written"


def test_translate_killed_at_random_moments_loses_nothing_and_converges(tmp_path: Path) -> None:
    _kill_loop(tmp_path, pages=40, edited=20, kills=3)


@pytest.mark.slow
def test_translate_killed_twenty_times_over_two_hundred_reviewed_pages(tmp_path: Path) -> None:
    _kill_loop(tmp_path, pages=200, edited=100, kills=20)


# --- Regressions from an attack on these promises ---------------------------------------------------------

def _one_page(tmp_path: Path, body: str, meta: str = "title: T") -> tuple[Path, Path]:
    docs, translations = tmp_path / "docs", tmp_path / "translations"
    atomic_write_text(docs / "p.md", f"---\n{meta}\n---\n\n{body}\n")
    return docs, translations


def test_a_reviewed_plural_entry_is_never_taken_for_an_edited_paragraph(tmp_path: Path) -> None:
    docs, translations = _one_page(tmp_path, "The report covers one region.")
    translate(docs, translations, ["tr"], PseudoEngine())
    path = translations / "tr" / "p.po"
    cat = po.read(path)
    import polib

    cat.append(polib.POEntry(msgid="The report covers %d region.", msgid_plural="The report covers %d regions.",
                             msgstr_plural={0: "Rapor bir bölgeyi kapsıyor.", 1: "Rapor %d bölgeyi kapsıyor."}))
    atomic_write_text(path, po.render(cat))
    atomic_write_text(docs / "p.md", "---\ntitle: T\n---\n\nThe report covers %d regions.\n")
    translate(docs, translations, ["tr"], PseudoEngine())
    plural = next(e for e in po.read(path) if e.msgid_plural)
    assert plural.msgstr_plural == {0: "Rapor bir bölgeyi kapsıyor.", 1: "Rapor %d bölgeyi kapsıyor."}


def test_a_corrected_draft_left_fuzzy_is_kept_when_a_new_draft_replaces_it(tmp_path: Path) -> None:
    docs, translations = _one_page(tmp_path, "The minister visited Ankara for talks.")
    translate(docs, translations, ["tr"], PseudoEngine())
    path = translations / "tr" / "p.po"
    cat = po.read(path)
    cat.find("The minister visited Ankara for talks.").msgstr = "Bakan görüşmeler için Ankara'yı ziyaret etti."
    atomic_write_text(path, po.render(cat))  # corrected, but still fuzzy
    atomic_write_text(docs / "p.md", "---\ntitle: T\n---\n\nThe minister visited Ankara on Tuesday for talks.\n")
    translate(docs, translations, ["tr"], PseudoEngine())
    entry = po.read(path).find("The minister visited Ankara on Tuesday for talks.")
    assert catalog.notes(entry).earlier == "Bakan görüşmeler için Ankara'yı ziyaret etti."


def test_memory_never_offers_a_kept_translation_of_an_old_source(tmp_path: Path) -> None:
    para = "The delegation discussed energy security and regional trade routes."
    docs, translations = tmp_path / "docs", tmp_path / "translations"
    for uri in ("a.md", "b.md"):
        atomic_write_text(docs / uri, f"---\ntitle: {uri}\n---\n\n{para}\n")
    translate(docs, translations, ["tr"], PseudoEngine())
    for uri, who in (("a", "ALİ"), ("b", "AYŞE")):
        path = translations / "tr" / f"{uri}.po"
        cat = po.read(path)
        entry = cat.find(para)
        entry.msgstr, entry.flags = f"{who}: Heyet enerji güvenliğini görüştü.", []
        atomic_write_text(path, po.render(cat))
    new = para.replace("energy security", "energy security and water")
    atomic_write_text(docs / "a.md", f"---\ntitle: a.md\n---\n\n{new}\n")
    translate(docs, translations, ["tr"], PseudoEngine())
    atomic_write_text(docs / "b.md", f"---\ntitle: b.md\n---\n\n{new}\n")
    translate(docs, translations, ["tr"], PseudoEngine())
    entry = po.read(translations / "tr" / "b.po").find(new)
    assert entry.msgstr.startswith("AYŞE") and "ALİ" not in (catalog.notes(entry).suggestion or "")


def test_a_nul_in_a_title_converges(tmp_path: Path) -> None:
    docs, translations = _one_page(tmp_path, "Body.", meta='title: "Annual\\0Report"')
    translate(docs, translations, ["tr"], PseudoEngine())
    path = translations / "tr" / "p.po"
    cat = po.read(path)
    for entry in cat:
        entry.flags = []
    atomic_write_text(path, po.render(cat))
    before = path.read_bytes()
    engine = PseudoEngine()
    translate(docs, translations, ["tr"], engine)
    assert engine.segments == 0 and path.read_bytes() == before
