"""Running pandoc on a Word file: which binary, with what limits, and its failures as one line.

pandoc is the pinned ``pypandoc-binary`` wheel's binary (so every install reads
Word the same way and goldens stay put), else a ``pandoc`` on PATH. It reads
the checked, rebuilt archive from stdin under ``--sandbox`` (no file or network
access: a Word file's linked images are not fetched) and a timeout, and writes
its JSON tree, which :mod:`docx_markdown` turns into our Markdown.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from ..errors import ArticleFormatError

TIMEOUT = 60
"""Seconds one Word file may take; pandoc reads the 100 MB the archive checks allow in far less."""
MAX_TREE = 512 * 1024 * 1024
"""Bytes of JSON accepted back (the tree of a document within the archive limits is far smaller)."""


def pandoc_binary() -> str | None:
    """The pinned wheel's pandoc, else one on PATH, else None."""
    try:
        import pypandoc

        path = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        path = None
    return str(path) if path else shutil.which("pandoc")


def tree(archive: bytes, path: Path) -> tuple[dict[str, Any], list[str]]:
    """pandoc's document tree of ``archive`` (a checked Word file) and the warnings pandoc printed."""
    binary = pandoc_binary()
    if binary is None:
        raise ArticleFormatError(path, "cannot read Word files: pandoc is missing; install it with "
                                       "`pip install pypandoc-binary==1.17`")
    command = [binary, "--sandbox", "-f", "docx", "-t", "json", "--track-changes=accept", "-"]
    try:
        done = subprocess.run(command, input=archive, capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise ArticleFormatError(path, f"not a readable Word document: pandoc took more than {TIMEOUT} s") from None
    except OSError as exc:
        raise ArticleFormatError(path, f"cannot read Word files: pandoc ({binary}) does not run: "
                                       f"{exc.strerror or exc}") from None
    messages = [" ".join(line.split()) for line in done.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    if done.returncode != 0:
        problem = next((line for line in messages if not line.startswith("HasCallStack")), f"exit {done.returncode}")
        raise ArticleFormatError(path, f"not a readable Word document: pandoc says: {problem[:300]}")
    if len(done.stdout) > MAX_TREE:
        raise ArticleFormatError(path, "not a readable Word document: its text is larger than 512 MB")
    try:
        document = json.loads(done.stdout)
    except ValueError:
        raise ArticleFormatError(path, "not a readable Word document: pandoc's output is not JSON") from None
    warnings = [line.removeprefix("[WARNING] ") for line in messages if line.startswith("[WARNING]")]
    return document, warnings
