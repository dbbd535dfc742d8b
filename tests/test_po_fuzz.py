"""Fuzz the PO reader against msgfmt: mutated catalogs give a catalog or a CatalogError, never a
traceback; what both accept reads the same; what we accept we write back and read identically.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from thinktank import po
from thinktank.errors import CatalogError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "translations").rglob("*.po")) + sorted((Path(__file__).parent / "po").rglob("*.po"))
SNIPPETS = [b"\\303\\251", b"\\x41", b"\\", b'"', b"\\n", b"\n", b"\r\n", b"#~ ", b"#| ", b"msgctxt \"c\"\n",
            b"msgid \"\"\nmsgstr \"\"\n", "\u2028".encode(), b"\x0b", "\u0085".encode(), b"\xff", b"#, fuzzy\n",
            b"msgstr[0] \"x\"\n", b"msgid_plural \"p\"\n", b"\t", b"\\t", b"\\q", b"\\777", b"\\000", b"\\x00", b"\\xZZ", b'""', b"\x00"]


def _mutate(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        index = rng.randrange(len(lines))
        if choice < 0.25:
            del lines[index]
        elif choice < 0.45:
            lines.insert(index, lines[rng.randrange(len(lines))])  # a duplicated line or entry start
        elif choice < 0.8:
            line = lines[index]
            at = rng.randint(0, len(line))
            lines[index] = line[:at] + rng.choice(SNIPPETS) + line[at:]
        else:
            line = bytearray(lines[index])
            if line:
                line[rng.randrange(len(line))] = rng.randrange(256)
            lines[index] = bytes(line)
    return b"\n".join(lines)


def _msgfmt_view(path: Path, tmp: Path) -> dict[tuple[str | None, str], str] | None:
    mo = tmp / "out.mo"
    result = subprocess.run(["msgfmt", "--use-fuzzy", "-o", str(mo), str(path)], capture_output=True)
    if result.returncode != 0:
        return None
    try:
        return {(e.msgctxt, e.msgid): e.msgstr_plural.get(0, e.msgstr) for e in polib.mofile(str(mo)) if e.msgid}
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def _fuzz(count: int, tmp_path: Path, against_msgfmt: bool) -> None:
    rng = random.Random(8)
    seeds = [path.read_bytes() for path in SEEDS]
    accepted = agreed = 0
    for number in range(count):
        data = _mutate(rng.choice(seeds), rng)
        try:
            catalog = po.parse(data, Path(f"fuzz-{number}.po"))
        except CatalogError as exc:
            assert str(exc).startswith(f"fuzz-{number}.po: "), exc
            continue
        except Exception as exc:  # noqa: BLE001 - the point of the test
            (tmp_path / f"crash-{number}.po").write_bytes(data)
            raise AssertionError(f"traceback on input saved as crash-{number}.po: {exc!r}") from exc
        accepted += 1
        again = po.parse(po.render(catalog).encode("utf-8"))
        assert [po._state(e) for e in again] == [po._state(e) for e in catalog], f"input {number} did not round-trip"
        if against_msgfmt:
            path = tmp_path / "input.po"
            path.write_bytes(data)
            theirs = _msgfmt_view(path, tmp_path)
            if theirs is not None:
                ours = {(e.msgctxt, e.msgid): e.msgstr_plural.get(0, e.msgstr) for e in catalog if not e.obsolete}
                assert ours == theirs, f"input {number} reads differently from msgfmt"
                agreed += 1
    assert accepted > count // 10, "the mutator should leave many inputs readable"
    if against_msgfmt:
        assert agreed > count // 20


def test_po_reader_fuzz_short(tmp_path: Path) -> None:
    _fuzz(300, tmp_path, against_msgfmt=shutil.which("msgfmt") is not None)


@pytest.mark.slow
def test_po_reader_fuzz_five_thousand(tmp_path: Path) -> None:
    _fuzz(5000, tmp_path, against_msgfmt=shutil.which("msgfmt") is not None)
