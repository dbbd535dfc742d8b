"""The translated languages' passes two at a time: the first half in this process, the second in a fork of it.

static-i18n builds the default language, then, from its ``on_post_build``,
every other language one after the other (a nested MkDocs ``build()`` each).
Those passes only read what the default pass left behind (the English
library, static-i18n's files and search entries) and each writes its own
language's folder. So, on a machine with two cores, the second half of them
is built in a forked copy of this process while this one builds the first
half: at 1,000 analyses the build takes the time of two passes instead of
three. The fork shares the default pass's memory until either process writes
to it; the collector's bookkeeping is frozen before the fork so that
collecting does not copy every page of it (``gc.freeze``, as Python's
documentation advises for a fork that does not exec).

What the fork's passes leave for the end of the build (the plugin's
:class:`ForkReport`: indexes written, the root sitemap's entries, the build
cache's bookkeeping) comes back pickled through a pipe, once the fork is done.
The fork's output waits in files of its own and is printed here when its
passes' turn comes, so a build prints its lines in the order one process
prints them. An error in the fork is raised here as the pass raised it; a
fork that dies without a word (killed, out of memory) is a
:class:`PassesError` naming its languages, and a fork never outlives the
process that made it (``PR_SET_PDEATHSIG``). Nothing here knows what a pass
builds: the plugin says what to leave and take.

A fork is made only where it is safe and pays (:func:`why_in_sequence`): on
Linux (macOS's system libraries may not survive a fork without exec), with
two cores for this process, with no other thread running (``mkdocs serve``
has its server's), and with at least two languages to build. Otherwise the
passes run one after another, exactly as static-i18n runs them.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import shutil
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from mkdocs.plugins import get_plugin_logger

from ..errors import ThinktankError

log = get_plugin_logger(__name__)

Build = Callable[..., None]
"""MkDocs' ``build(config, dirty=...)``, as static-i18n calls it for each nested pass."""


class PassesError(ThinktankError):
    """The fork building some languages' passes stopped without reporting (killed, out of memory)."""


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def why_in_sequence(languages: Sequence[str], command: str) -> str | None:
    """Why the nested passes of ``languages`` must run one after another here, or None when half can be forked."""
    if len(languages) < 2:
        return "one language to build"
    if command == "serve":
        return "mkdocs serve"
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return f"no safe fork on {sys.platform}"
    if cores() < 2:
        return "one core"
    if threading.active_count() > 1:
        return "other threads are running"
    return None


@dataclass
class _Fork:
    pid: int
    reader: int
    languages: tuple[str, ...]
    output: tuple[IO[bytes], IO[bytes]]
    """The files the fork's standard output and error go to, printed here when its passes' turn comes."""


class Passes:
    """Routes static-i18n's nested builds (:func:`..i18n.route_nested_builds`): the first call forks a process
    for the second half of ``languages``, later calls for those languages wait for its report instead of
    building.

    ``leave`` (in the fork, after its passes) says what the parent needs of them, as picklable data; ``take``
    (here) takes it; ``forked`` (in the fork, first thing) lets go of what must not be shared, such as an
    open SQLite connection. ``select`` sets static-i18n's current language in the fork, as its loop would.
    """

    def __init__(self, languages: Sequence[str], *, select: Callable[[str], None], leave: Callable[[], Any],
                 take: Callable[[Any], None], forked: Callable[[], None]) -> None:
        self.languages = tuple(languages)
        self.theirs = self.languages[len(self.languages) // 2:]
        """The languages the fork builds: the second half, so their entries come last, as in sequence."""
        self._select, self._leave, self._take, self._forked = select, leave, take, forked
        self._fork: _Fork | None = None
        self._in_fork = False
        self._done = False

    @property
    def in_fork(self) -> bool:
        """Whether this is the fork (whose passes, not this object's caller, are the build to finish)."""
        return self._in_fork

    def build(self, config: Any, dirty: bool, build: Build, lang: str) -> None:
        """One nested pass of ``lang``: built here, or in the fork (which the first pass starts)."""
        if self._in_fork:  # the fork's own passes call MkDocs' build directly; this is a pass it did not expect
            build(config, dirty=dirty)
            return
        if lang in self.theirs and self._fork is None and not self._done:
            self.theirs = ()  # asked for before any fork was started: every pass is built here
        if self.theirs and self._fork is None and not self._done:
            self._start(config, dirty, build)
        if lang in self.theirs:
            self.wait()
            return
        try:
            build(config, dirty=dirty)
        except BaseException:
            self.stop()
            raise

    def _start(self, config: Any, dirty: bool, build: Build) -> None:
        for stream in (sys.stdout, sys.stderr):  # what is buffered now must not be printed by both processes
            stream.flush()
        output = (tempfile.TemporaryFile(), tempfile.TemporaryFile())
        reader, writer = os.pipe()
        parent = os.getpid()
        gc.collect()
        gc.freeze()
        try:
            pid = os.fork()
        except OSError as exc:  # no process to be had (a limit on processes, memory): every pass is built here
            gc.unfreeze()
            os.close(reader)
            os.close(writer)
            _close(output)
            log.debug("languages built one after another: no fork (%s)", exc)
            self.theirs = ()
            return
        if pid == 0:  # the fork: build its languages, report, and end without returning into static-i18n
            os.close(reader)
            self._in_fork = True
            # Its lines wait until its passes' turn comes here (after this process's passes, as in one process),
            # and are never printed when this process's pass fails first, as a pass not started prints none.
            os.dup2(output[0].fileno(), 1)
            os.dup2(output[1].fileno(), 2)
            _end_with(parent)
            self._run_fork(config, dirty, build, writer)
        os.close(writer)
        self._fork = _Fork(pid, reader, self.theirs, output)
        log.debug("building %s in process %d beside this one", ", ".join(self.theirs), pid)

    def _run_fork(self, config: Any, dirty: bool, build: Build, writer: int) -> None:
        status = 0
        try:
            self._forked()
            for lang in self.theirs:
                self._select(lang)
                build(config, dirty=dirty)
            payload = pickle.dumps(("report", self._leave()))
        except BaseException as exc:  # noqa: BLE001 - every error is the parent's to raise
            status = 1
            payload = _pickled_error(exc)
        try:
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(payload)
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(status)

    def wait(self) -> None:
        """The fork's report taken (once), or its error raised here."""
        fork = self._detach()
        if fork is None:
            return
        try:
            with os.fdopen(fork.reader, "rb") as stream:
                payload = stream.read()
        except BaseException:  # interrupted while waiting: the fork goes too
            _end(fork)
            raise
        _, status = os.waitpid(fork.pid, 0)
        gc.unfreeze()
        _print(fork.output)
        try:
            kind, value = pickle.loads(payload)
        except Exception:  # noqa: BLE001 - nothing, or a report cut short: the fork died while writing it
            how = (f"killed by signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status)
                   else f"exit status {os.waitstatus_to_exitcode(status)}")
            which = f"{', '.join(fork.languages)} pass{'es' if len(fork.languages) > 1 else ''}"
            raise PassesError(None, f"the {which} stopped without a report ({how})") from None
        if kind == "report":
            self._take(value)
            return
        raise value

    def stop(self) -> None:
        """End the fork, if one runs (this process's pass failed, or the build is abandoned)."""
        fork = self._detach()
        if fork is not None:
            _end(fork)

    def _detach(self) -> _Fork | None:
        """The running fork, no longer this object's (it is waited for or ended once); None when there is none."""
        fork, self._fork = self._fork, None
        if fork is not None:
            self._done = True
        return fork


def _end(fork: _Fork) -> None:
    """A fork killed and reaped, its pipe and output files closed, its lines never printed."""
    try:
        os.kill(fork.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    os.waitpid(fork.pid, 0)
    try:
        os.close(fork.reader)
    except OSError:  # already closed by an interrupted wait
        pass
    _close(fork.output)
    gc.unfreeze()


def _print(output: tuple[IO[bytes], IO[bytes]]) -> None:
    """The fork's standard output and error printed on this process's, each as it was written."""
    for stream, written in zip((sys.stdout, sys.stderr), output, strict=True):
        stream.flush()
        written.seek(0)
        target = getattr(stream, "buffer", None)
        if target is not None:
            shutil.copyfileobj(written, target)
        else:
            stream.write(written.read().decode("utf-8", "replace"))
        stream.flush()
    _close(output)


def _close(output: tuple[IO[bytes], IO[bytes]]) -> None:
    for written in output:
        written.close()


def _end_with(parent: int) -> None:
    """Have the kernel kill this fork when the process that made it ends (``PR_SET_PDEATHSIG``): a build killed
    mid-way must not leave a fork writing its language's pages into the next build's site."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the fork ends with its passes
        return
    if os.getppid() != parent:  # the parent was gone before the request was made
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _pickled_error(exc: BaseException) -> bytes:
    """The fork's error as the parent will raise it: itself when it comes back whole from pickle, with the
    fork's traceback as a note for an error MkDocs did not already report in one line (an ``Abort``); else a
    :class:`PassesError` carrying its text (an error whose ``__init__`` takes other arguments than it keeps)."""
    from mkdocs.exceptions import Abort

    if not isinstance(exc, Abort):
        exc.add_note("in the process that built this pass:\n" + "".join(traceback.format_exception(exc)))
    try:
        payload = pickle.dumps(("error", exc))
        pickle.loads(payload)
        return payload
    except Exception:  # noqa: BLE001 - an error that does not pickle is sent as its text
        return pickle.dumps(("error", PassesError(None, "".join(traceback.format_exception(exc)))))
