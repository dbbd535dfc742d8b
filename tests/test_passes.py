"""Half of the translated languages built in a fork (:mod:`thinktank.mkdocs_plugin.passes`).

The promise: a site built with a fork is the site built without one, byte for byte; what goes wrong in the
fork stops the build here as it would have in one process (one line, the same exit), and no fork outlives its
build. The :class:`Passes` tests fork this test process with stand-in passes; the build tests run
``mkdocs build`` as a user does.
"""

from __future__ import annotations

import os
import pickle
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort

from thinktank import feeds
from thinktank.mkdocs_plugin import passes
from thinktank.mkdocs_plugin.passes import Passes, PassesError

from .conftest import copy_site_sources, snapshot

FORKED = re.compile(r"thinktank: building (\S+) in process (\d+) beside this one")


def _needs_two_cores() -> None:
    if passes.cores() < 2:
        pytest.skip("one core: every pass is built in this process")


# --- Passes, with stand-in passes --------------------------------------------------------------


class Recorder:
    """Stand-in passes: each writes which process built it into ``folder``; ``fail`` says how one goes wrong."""

    def __init__(self, folder: Path, fail: dict[str, Any] | None = None) -> None:
        self.folder, self.fail = folder, fail or {}
        self.current = ""
        self.taken: list[Any] = []
        self.forked_in: list[int] = []

    def build(self, config: Any, dirty: bool = False) -> None:
        # Whole or not there: a test waiting for the file may kill this process right after it appears.
        written = self.folder / f".{self.current}.{os.getpid()}"
        written.write_text(str(os.getpid()))
        os.replace(written, self.folder / self.current)
        how = self.fail.get(self.current)
        if how == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        if isinstance(how, BaseException):
            raise how

    def passes(self, languages: list[str]) -> Passes:
        def select(lang: str) -> None:
            self.current = lang

        return Passes(languages, select=select, leave=lambda: {"built": sorted(os.listdir(self.folder)),
                                                               "pid": os.getpid()},
                      take=self.taken.append, forked=lambda: self.forked_in.append(os.getpid()))

    def run(self, languages: list[str]) -> Passes:
        """static-i18n's loop: each language selected, then built through the router."""
        runner = self.passes(languages)
        for lang in languages:
            self.current = lang
            runner.build(None, False, self.build, lang)
        runner.wait()
        return runner


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_second_half_of_the_languages_is_built_in_a_fork_and_its_report_comes_back(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path)
    runner = recorder.run(["tr", "ru", "uk"])
    assert runner.theirs == ("ru", "uk")
    built_by = {lang: int((tmp_path / lang).read_text()) for lang in ("tr", "ru", "uk")}
    assert built_by["tr"] == os.getpid()
    assert built_by["ru"] == built_by["uk"] != os.getpid(), "the fork builds its languages one after another"
    (report,) = recorder.taken
    assert report["pid"] == built_by["ru"] and set(report["built"]) >= {"ru", "uk"}
    assert not _alive(built_by["ru"])


def test_one_language_is_built_here(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path)
    runner = recorder.passes(["tr"])
    assert runner.theirs == ("tr",)
    assert passes.why_in_sequence(["tr"], "build") == "one language to build"


def test_an_error_in_the_fork_is_raised_here_with_the_fork_s_traceback(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path, {"ru": ValueError("a bad catalog")})
    with pytest.raises(ValueError, match="a bad catalog") as caught:
        recorder.run(["tr", "ru"])
    (note,) = caught.value.__notes__
    assert note.startswith("in the process that built this pass:") and "test_passes.py" in note and "raise how" in note
    assert recorder.taken == []


def test_mkdocs_abort_in_the_fork_is_raised_here_as_it_is(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path, {"ru": Abort("Aborted with 1 warnings in strict mode!")})
    with pytest.raises(Abort, match="in strict mode") as caught:
        recorder.run(["tr", "ru"])
    assert not getattr(caught.value, "__notes__", None), "MkDocs has printed its lines already"


class Unpicklable(Exception):
    def __init__(self, code: int, detail: str) -> None:
        super().__init__(f"{code}: {detail}")


def test_an_error_that_cannot_come_back_comes_back_as_its_text(tmp_path: Path) -> None:
    with pytest.raises(Exception) as unpickled:
        pickle.loads(pickle.dumps(Unpicklable(3, "x")))
    assert isinstance(unpickled.value, TypeError)
    recorder = Recorder(tmp_path, {"ru": Unpicklable(7, "odd error")})
    with pytest.raises(PassesError, match="7: odd error"):
        recorder.run(["tr", "ru"])


def test_a_fork_killed_without_a_word_stops_the_build_with_one_line(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path, {"ru": "kill"})
    with pytest.raises(PassesError) as caught:
        recorder.run(["tr", "ru"])
    assert str(caught.value) == "the ru pass stopped without a report (killed by signal 9)"


def test_a_failing_pass_here_ends_the_fork(tmp_path: Path) -> None:
    class Slow(Recorder):
        def build(self, config: Any, dirty: bool = False) -> None:
            if self.current == "ru":  # the fork's pass goes on and on
                super().build(config, dirty)
                while True:
                    pass
            while not (self.folder / "ru").exists():  # this one fails once the fork is well under way
                pass
            super().build(config, dirty)

    recorder = Slow(tmp_path, {"tr": RuntimeError("tr broke")})
    with pytest.raises(RuntimeError, match="tr broke"):
        recorder.run(["tr", "ru"])
    fork = int((tmp_path / "ru").read_text())
    assert fork != os.getpid() and not _alive(fork), "the fork is ended and reaped"


def _state(pid: int) -> str:
    """A process's state letter, "gone" once reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return "gone"


def test_a_build_killed_mid_way_leaves_no_fork_writing(tmp_path: Path) -> None:
    """The fork dies with the process that made it (a killed build's fork must not write into the next build)."""
    script = f"""
import os, sys, time
sys.path.insert(0, {str(Path(__file__).resolve().parent.parent / "src")!r})
from thinktank.mkdocs_plugin.passes import Passes
folder = {str(tmp_path)!r}
def build(config, dirty=False):
    open(os.path.join(folder, str(os.getpid())), "w").close()
    time.sleep(60)
runner = Passes(["tr", "ru"], select=lambda lang: None, leave=lambda: None, take=lambda report: None,
                forked=lambda: None)
runner.build(None, False, build, "tr")
"""
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        for _ in range(500):
            pids = [int(name) for name in os.listdir(tmp_path)]
            if len(pids) == 2:
                break
            threading.Event().wait(0.02)
        (fork,) = [pid for pid in pids if pid != parent.pid]
        assert _state(fork) not in ("gone", "Z")
    finally:
        parent.kill()
        parent.wait()
    for _ in range(250):
        if _state(fork) in ("gone", "Z"):
            break
        threading.Event().wait(0.02)
    assert _state(fork) in ("gone", "Z"), "the fork outlived the build that made it"


def test_without_a_fork_to_be_had_every_pass_is_built_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    recorder = Recorder(tmp_path)
    recorder.run(["tr", "ru"])
    assert {lang: int((tmp_path / lang).read_text()) for lang in ("tr", "ru")} == {"tr": os.getpid(), "ru": os.getpid()}
    assert recorder.taken == []


def test_a_language_the_fork_was_to_build_is_built_here_when_no_fork_was_started(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path)
    runner = recorder.passes(["tr", "ru"])
    recorder.current = "ru"
    runner.build(None, False, recorder.build, "ru")  # static-i18n asked for ru first: no fork is running yet
    recorder.current = "tr"
    runner.build(None, False, recorder.build, "tr")
    runner.wait()
    assert {lang: int((tmp_path / lang).read_text()) for lang in ("tr", "ru")} == {"tr": os.getpid(), "ru": os.getpid()}
    assert recorder.taken == [], "and no fork was started after"


def test_where_passes_are_built_one_after_another(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passes, "cores", lambda: 2)
    monkeypatch.setattr(sys, "platform", "linux")
    assert passes.why_in_sequence(["tr", "ru"], "build") is None
    assert passes.why_in_sequence(["tr", "ru"], "serve") == "mkdocs serve"
    monkeypatch.setattr(passes, "cores", lambda: 1)
    assert passes.why_in_sequence(["tr", "ru"], "build") == "one core"
    monkeypatch.setattr(passes, "cores", lambda: 2)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert passes.why_in_sequence(["tr", "ru"], "build") == "other threads are running"
    finally:
        stop.set()
        thread.join()
    monkeypatch.setattr(sys, "platform", "darwin")
    assert passes.why_in_sequence(["tr", "ru"], "build") == "no safe fork on darwin"


# --- The root sitemap's entries, handed over by the fork ---------------------------------------------


def _entry(loc: str) -> str:
    return f"    <url>\n        <loc>{loc}</loc>\n        <changefreq>daily</changefreq>\n    </url>\n"


def test_a_fork_s_sitemap_entries_of_its_languages_go_after_ours() -> None:
    head, end = '<?xml version="1.0"?>\n<urlset>\n', "</urlset>\n"
    site = "https://example.org/"
    ours = head + _entry(site) + _entry(site + "tr/") + end
    theirs = head + _entry(site) + _entry(site + "ru/") + _entry(site + "ru/a/?x=1&amp;y=2") + end
    handed = feeds.entries_under(theirs, site, ["ru/"])
    assert handed == _entry(site + "ru/") + _entry(site + "ru/a/?x=1&amp;y=2")
    assert feeds.with_entries(ours, handed) == head + _entry(site) + _entry(site + "tr/") + handed + end
    assert feeds.entries_under(theirs, site, ["tr/"]) == ""
    assert feeds.entries_under(theirs.replace(site, "/"), None, ["ru/"]) == handed.replace(site, "/")
    assert feeds.with_entries("no sitemap", handed) == "no sitemap"


# --- Whole builds ---------------------------------------------------------------------------------


def _mkdocs(work: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "THINKTANK_PDF": "0"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-v", *args, "-f", str(work / "mkdocs.yml")],
                          capture_output=True, text=True, env=env, cwd=work)


def _sequential(work: Path) -> None:
    config = work / "mkdocs.yml"
    text, found = re.subn(r"^  - thinktank$", "  - thinktank:\n      parallel: false", config.read_text("utf-8"),
                          flags=re.M)
    assert found == 1
    config.write_text(text, "utf-8")


def both_ways(tmp_path: Path, *args: str, change: Callable[[Path], None] = lambda work: None,
              ) -> dict[str, tuple[Path, subprocess.CompletedProcess[str]]]:
    """The committed site, changed by ``change``, built with the fork ("forked") and with ``parallel: false``
    ("alone"): each build's folder and result, each seen to fork or not as it should."""
    _needs_two_cores()
    built = {}
    for name in ("forked", "alone"):
        work = copy_site_sources(tmp_path / name)
        if name == "alone":
            _sequential(work)
        change(work)
        result = _mkdocs(work, *args)
        assert (FORKED.search(result.stderr) is not None) == (name == "forked"), result.stderr
        built[name] = (work, result)
    return built


def test_a_site_built_with_a_fork_is_the_site_built_without_byte_for_byte(tmp_path: Path) -> None:
    builds = both_ways(tmp_path, "--strict")
    for _, result in builds.values():
        assert result.returncode == 0, result.stderr
    assert "languages built one after another: turned off (parallel: false)" in builds["alone"][1].stderr
    built = snapshot(builds["forked"][0] / "site")
    assert built == snapshot(builds["alone"][0] / "site")
    assert {"ru/index.html", "ru/search/search_index.json", "ru/sitemap.xml", "ru/feed.xml"} <= set(built)
    # The root sitemap lists every language's pages, the fork's (ru) after ours (tr), and its gzipped copy agrees.
    import gzip
    sitemap = built["sitemap.xml"].decode()
    assert sitemap.index("<loc>https://example.org/tr/about/</loc>") < sitemap.index("<loc>https://example.org/ru/about/</loc>")
    assert gzip.decompress(built["sitemap.xml.gz"]) == built["sitemap.xml"]


def test_a_build_interrupted_here_ends_the_fork_and_gives_static_i18n_its_build_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C in this process's pass (which MkDocs' on_build_error does not see): no fork left, static-i18n's own
    ``build`` back, and the next build in this process is a whole one."""
    import mkdocs.commands.build
    import mkdocs_static_i18n.plugin
    from mkdocs.config import load_config

    from thinktank.mkdocs_plugin.plugin import ThinktankPlugin

    _needs_two_cores()
    work = copy_site_sources(tmp_path / "site")
    monkeypatch.setenv("THINKTANK_PDF", "0")
    write_feed = ThinktankPlugin._write_feed
    forks: list[int] = []

    def interrupted(self: ThinktankPlugin, config: Any, lang: str, library: Any) -> None:
        if lang == "tr":
            forks.append(self.passes._fork.pid if self.passes and self.passes._fork else 0)
            raise KeyboardInterrupt
        write_feed(self, config, lang, library)

    monkeypatch.setattr(ThinktankPlugin, "_write_feed", interrupted)
    config = load_config(config_file=str(work / "mkdocs.yml"))
    with pytest.raises(KeyboardInterrupt):
        mkdocs.commands.build.build(config)
    assert mkdocs_static_i18n.plugin.build is mkdocs.commands.build.build
    (fork,) = forks
    assert fork and _state(fork) == "gone", "the fork is ended and reaped"
    monkeypatch.setattr(ThinktankPlugin, "_write_feed", write_feed)
    config = load_config(config_file=str(work / "mkdocs.yml"))
    mkdocs.commands.build.build(config)
    assert (work / "site" / "ru" / "feed.xml").exists() and (work / "site" / "tr" / "feed.xml").exists()
    assert mkdocs_static_i18n.plugin.build is mkdocs.commands.build.build


def test_what_the_fork_parsed_is_in_the_next_build_s_cache(tmp_path: Path) -> None:
    _needs_two_cores()
    work = copy_site_sources(tmp_path / "site")
    first, second = _mkdocs(work), _mkdocs(work)
    assert FORKED.search(second.stderr)
    made = re.compile(r"build cache: (\d+) parses reused, (\d+) made")
    found_first, found_second = made.search(first.stderr), made.search(second.stderr)
    assert found_first and found_second, second.stderr
    assert int(found_first.group(2)) > 0 and found_second.group(2) == "0", "ru's catalogs too are reused"
    assert int(found_second.group(1)) == int(found_first.group(2))


def _broken_ru_catalog(work: Path) -> None:
    (work / "translations" / "ru" / "about.po").write_text('msgid "x"\nmsgstr "unterminated\n', "utf-8")


def test_a_bad_catalog_of_the_fork_s_language_stops_the_build_as_it_would_in_one_process(tmp_path: Path) -> None:
    lines = {}
    for name, (work, result) in both_ways(tmp_path, change=_broken_ru_catalog).items():
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        lines[name] = [line.replace(str(work), "WORK") for line in result.stderr.splitlines()
                       if line.startswith(("ERROR", "Aborted"))]
    assert lines["forked"] == lines["alone"]
    assert any("WORK/translations/ru/about.po: not a readable PO file" in line for line in lines["forked"])
