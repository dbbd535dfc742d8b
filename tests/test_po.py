"""The PO reader agrees with msgfmt, and writing keeps what it did not change.

Fixtures: ``tests/po/refused/*.po`` (with the message expected in ``*.expect``)
and ``tests/po/accepted/*.po``, whose entries must read exactly as msgfmt
compiles them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thinktank import catalog, po
from thinktank.errors import CatalogError

FIXTURES = Path(__file__).parent / "po"
REFUSED = sorted((FIXTURES / "refused").glob("*.po"))
ACCEPTED = sorted((FIXTURES / "accepted").glob("*.po"))
MSGFMT_REFUSES_TOO = {"duplicate-msgid", "second-header", "invalid-escape", "unterminated", "no-msgstr",
                      "obsolete-duplicate", "obsolete-second-header", "msgctxt-after-msgid", "plural-out-of-order",
                      "line-break-mismatch", "live-previous-before-obsolete"}
REWRITTEN = {"iso-8859-9": "we write UTF-8, so a file in another charset is converted when written",
             "form-feed-and-placeholder-charset": "a form-feed line between entries is white space, not kept"}


def _msgfmt(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) is not installed")
    return subprocess.run(["msgfmt", "-c", "--use-fuzzy", *args, str(path)], capture_output=True, text=True)


@pytest.mark.parametrize("path", REFUSED, ids=lambda p: p.stem)
def test_refused_catalogs_name_the_file_and_line(path: Path) -> None:
    expected = path.with_suffix(".expect").read_text(encoding="utf-8").strip()
    with pytest.raises(CatalogError) as caught:
        po.read(path)
    assert str(caught.value).startswith(f"{path}: not a readable PO file: ")
    assert expected in str(caught.value)
    if path.stem in MSGFMT_REFUSES_TOO:
        assert _msgfmt(path, "-o", "/dev/null").returncode != 0, "msgfmt refuses it as well"


@pytest.mark.parametrize("path", ACCEPTED, ids=lambda p: p.stem)
def test_accepted_catalogs_read_as_msgfmt_compiles_them(path: Path, tmp_path: Path) -> None:
    compiled = tmp_path / "out.mo"
    result = _msgfmt(path, "-o", str(compiled))
    assert result.returncode == 0, result.stderr
    ours = po.read(path)
    theirs = {(e.msgctxt, e.msgid): e.msgstr_plural.get(0, e.msgstr) for e in polib.mofile(str(compiled)) if e.msgid}
    assert {(e.msgctxt, e.msgid): e.msgstr_plural.get(0, e.msgstr) for e in ours if not e.obsolete} == theirs


@pytest.mark.parametrize("path", [p for p in ACCEPTED if p.stem not in REWRITTEN], ids=lambda p: p.stem)
def test_an_untouched_catalog_is_written_back_byte_for_byte(path: Path) -> None:
    data = path.read_bytes()
    ours = po.parse(data, path)
    assert not po.changed(ours)
    assert po.render(ours).encode("utf-8") == data


def test_escapes_are_decoded_as_msgfmt_does() -> None:
    entry = po.read(FIXTURES / "accepted" / "escapes.po").find("café A BC")
    assert entry is not None and entry.msgstr == "kahve: café, AB \a\b\f\v\t\r end"


def test_a_msgctxt_twin_is_its_own_entry() -> None:
    twin = po.read(FIXTURES / "accepted" / "msgctxt-twin.po")
    assert [(e.msgctxt, e.msgstr) for e in twin] == [(None, "Başlık"), ("navigation", "Başlık (menü)")]
    assert catalog.translations(twin)["Title"].msgstr == "Başlık"


def test_changing_one_entry_of_a_msgcat_wrapped_catalog_changes_only_its_lines(tmp_path: Path) -> None:
    """Poedit and msgcat wrap at 79 columns; our next write keeps their layout for every other entry."""
    source = Path(__file__).parent.parent / "translations" / "tr" / "analyses"
    original = next(source.glob("north-korea*.po"))
    wrapped = tmp_path / "wrapped.po"
    if shutil.which("msgcat") is None:
        pytest.skip("msgcat (gettext) is not installed")
    subprocess.run(["msgcat", "-o", str(wrapped), str(original)], check=True)
    before = wrapped.read_text(encoding="utf-8").split("\n\n")
    cat = po.read(wrapped)
    target = next(entry for entry in cat if len(entry.msgid) > 200)
    target.msgstr = "Yeni çeviri."
    target.flags = []
    after = po.render(cat).split("\n\n")
    assert len(after) == len(before)
    differing = [index for index, (old, new) in enumerate(zip(before, after, strict=True)) if old != new]
    assert len(differing) == 1 and 'msgstr "Yeni çeviri."' in after[differing[0]]
    assert _msgfmt_ok("\n\n".join(after), tmp_path)


def _msgfmt_ok(text: str, tmp_path: Path) -> bool:
    path = tmp_path / "check.po"
    path.write_text(text, encoding="utf-8")
    result = _msgfmt(path, "-o", "/dev/null")
    assert result.returncode == 0, result.stderr
    return True


# Text as pages and translators produce it: any script, quotes, backslashes, line ends,
# and the separators str.splitlines() would cut (U+2028, \x0b, \x85, ...).
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"), max_size=60)
ENTRY = st.fixed_dictionaries({
    "msgid": TEXT.filter(bool), "msgstr": TEXT, "fuzzy": st.booleans(),
    "comment": st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\n\r\x00"), max_size=30).map(lambda c: c.strip(" \t\r\f\v")),
    "previous": st.none() | TEXT.filter(bool),
})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ENTRY, max_size=6, unique_by=lambda e: e["msgid"]))
def test_what_we_write_we_read_back_identically(entries: list[dict[str, object]]) -> None:
    cat = catalog.new_catalog("tr", "x.md")
    for item in entries:
        msgid, msgstr = str(item["msgid"]), str(item["msgstr"])
        if msgstr and (msgid.startswith("\n") != msgstr.startswith("\n") or msgid.endswith("\n") != msgstr.endswith("\n")):
            continue  # msgfmt refuses such an entry, and so does our reader
        entry = polib.POEntry(msgid=item["msgid"], msgstr=item["msgstr"], comment=item["comment"])
        if item["fuzzy"]:
            entry.flags.append("fuzzy")
            entry.previous_msgid = item["previous"]
        cat.append(entry)
    text = po.render(cat)
    again = po.parse(text.encode("utf-8"))
    assert [po._state(e) for e in again] == [po._state(e) for e in cat]
    assert po.render(again) == text


def test_a_page_with_line_separators_translates_and_rereads(repo_copy: Path, run_cli) -> None:
    """U+2028 and friends in a page once produced a catalog our own loader refused."""
    page = repo_copy / "docs" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne\u2028two\x0bthree\x85four\u2029five\x1cend.\n",
                    encoding="utf-8")
    dirs = ("--docs-dir", repo_copy / "docs", "--translations-dir", repo_copy / "translations")
    assert run_cli("translate", "--engine", "pseudo", "--to", "tr", *dirs).code == 0
    assert run_cli("status", "--lang", "tr", *dirs).code == 0
    assert run_cli("translate", "--engine", "pseudo", "--to", "tr", *dirs).code == 0
    written = repo_copy / "translations" / "tr" / "about.po"
    assert any("\u2028" in entry.msgid for entry in po.read(written))
    assert _msgfmt(written, "-o", "/dev/null").returncode == 0


def test_a_nul_is_never_written_so_the_file_stays_readable() -> None:
    cat = catalog.new_catalog("tr", "x.md")
    cat.append(polib.POEntry(msgid="a", msgstr="b\x00c"))
    assert po.parse(po.render(cat).encode("utf-8")).find("a").msgstr == "b\ufffdc"


def test_a_catalog_in_another_charset_is_written_as_utf8_saying_so(tmp_path: Path) -> None:
    """A Poedit file in ISO-8859-9 once came back as mojibake under its old header."""
    path = tmp_path / "tr.po"
    shutil.copy(FIXTURES / "accepted" / "iso-8859-9.po", path)
    cat = po.read(path)
    cat.find("Title").flags = []
    assert catalog.save(cat, path)
    again = po.read(path)
    assert "charset=UTF-8" in again.metadata["Content-Type"]
    assert [(e.msgid, e.msgstr) for e in again] == [("Title", "Başlık ığüşöç"), ("Escaped", "İstanbul")]
    assert _msgfmt(path, "-o", "/dev/null").returncode == 0


def test_a_byte_order_mark_is_read_and_not_written_back(tmp_path: Path) -> None:
    """msgfmt refuses a BOM; some Windows editors write one."""
    data = (FIXTURES / "accepted" / "msgctxt-twin.po").read_bytes()
    cat = po.parse(b"\xef\xbb\xbf" + data)
    assert cat.find("Title").msgstr == "Başlık"
    assert po.render(cat).encode("utf-8") == data


def test_a_catalog_sorted_by_msgcat_is_not_rewritten_into_page_order() -> None:
    cat = po.read(FIXTURES / "accepted" / "msgctxt-twin.po")
    cat[:] = list(reversed(cat))
    assert not po.changed(cat)


def test_shifted_references_keep_an_entry_s_own_wrapping(tmp_path: Path) -> None:
    """A paragraph inserted at the top shifts every #: line; the entries' text lines stay as wrapped."""
    source = next((Path(__file__).parent.parent / "translations" / "tr" / "analyses").glob("north-korea*.po"))
    if shutil.which("msgcat") is None:
        pytest.skip("msgcat (gettext) is not installed")
    wrapped = tmp_path / "wrapped.po"
    subprocess.run(["msgcat", "--width=60", "-o", str(wrapped), str(source)], check=True)
    before = wrapped.read_text(encoding="utf-8")
    cat = po.read(wrapped)
    for entry in cat:
        entry.occurrences = [(path, str(int(line) + 2) if line.isdigit() else line) for path, line in entry.occurrences]
    after = po.render(cat)
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed and all(a.startswith("#:") and b.startswith("#:") for a, b in changed)


def test_comments_are_never_wrapped_so_they_read_back_whole(tmp_path: Path) -> None:
    wrapped = po.read(FIXTURES / "accepted" / "msgctxt-twin.po")
    assert wrapped.origin is not None
    wrapped.origin.wrapped = True
    long = "machine draft for the new source: " + " ".join(["uzun bir öneri"] * 20)
    wrapped.find("Title").comment = long
    assert po.parse(po.render(wrapped).encode("utf-8")).find("Title").comment == long
