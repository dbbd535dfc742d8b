"""Importers, text profiles and engines are registries: one list each, and everything else derives from it."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from thinktank import importers
from thinktank.cli import build_parser
from thinktank.engines import ENGINES, get_engine
from thinktank.engines.pseudo import PseudoEngine
from thinktank.errors import ArticleFormatError, EngineError
from thinktank.importers import IMPORTERS, PROFILES, ImportOptions, Importer, detect_format, parse_file
from thinktank.models import Article

FIXTURES = Path(__file__).parent / "registry"


def _choices(command: str, option: str) -> list[str]:
    parser = build_parser()
    sub = next(action for action in parser._subparsers._group_actions).choices[command]  # type: ignore[union-attr]
    return list(next(action for action in sub._actions if option in action.option_strings).choices)


def test_cli_profile_choices_are_auto_then_the_importers_then_the_text_profiles() -> None:
    assert _choices("import", "--profile") == ["auto", *(i.name for i in IMPORTERS), *PROFILES]
    assert _choices("import", "--profile") == ["auto", "docx", "html", "text", "ankasam", "pism", "generic"]


def test_cli_engine_choices_are_the_engine_registry() -> None:
    assert _choices("translate", "--engine") == list(ENGINES) == ["argos", "pseudo"]


def test_help_describes_every_choice_from_the_registries(run_cli) -> None:
    text = " ".join(run_cli("import", "--help").out.split())
    for importer in IMPORTERS:
        assert f"{importer.name}: {importer.description}" in text
    assert "ankasam: a text dump of an ANKASAM analysis" in text
    text = " ".join(run_cli("translate", "--help").out.split())
    assert all(f"{entry.name}: {entry.description}" in text for entry in ENGINES.values())


def _fake_importer(parsed: list[bytes]) -> Importer:
    def parse(data: bytes, path: Path, options: ImportOptions) -> tuple[Article, list[str]]:
        parsed.append(data)
        raise ArticleFormatError(path, "fake importer reached")

    return Importer("rtf", "a Rich Text file", lambda data: data.startswith(b"{\\rtf"), lambda data: "no {\\rtf header",
                    parse)


def test_detection_and_refusal_come_from_the_registry(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    parsed: list[bytes] = []
    monkeypatch.setattr(importers, "IMPORTERS", (_fake_importer(parsed), *IMPORTERS))
    rtf = tmp_path / "letter.txt"
    rtf.write_bytes(b"{\\rtf1\\ansi Hello}")
    assert detect_format(rtf.read_bytes(), rtf) == "rtf"
    with pytest.raises(ArticleFormatError, match="fake importer reached"):
        parse_file(rtf, ImportOptions())
    assert parsed == [rtf.read_bytes()]
    blob = bytes(range(256)) * 8
    with pytest.raises(ArticleFormatError) as refused:
        detect_format(blob, tmp_path / "blob")
    assert refused.value.message == ("no importer accepts it; tried rtf (no {\\rtf header), docx (not a zip archive), "
                                     "html (no HTML markup), text (looks like a binary file)")
    assert detect_format(blob, tmp_path / "blob", "rtf") == "rtf", "a named importer is used without sniffing"


def test_a_text_profile_name_means_the_text_importer_with_that_profile() -> None:
    html_like = b"<html><body><p>a</p><div>b</div><h1>c</h1></body></html>"
    assert detect_format(html_like, Path("x")) == "html"
    for name in PROFILES:
        assert detect_format(html_like, Path("x"), name) == "text"
    assert detect_format(html_like, Path("x"), "text") == "text"


def test_an_unknown_profile_is_one_line_listing_the_choices() -> None:
    with pytest.raises(ArticleFormatError) as refused:
        detect_format(b"text", Path("a.txt"), "pdf")
    assert str(refused.value) == ("a.txt: unknown profile 'pdf'; choose one of auto, docx, html, text, ankasam, pism, "
                                  "generic")


def test_a_utf16_dump_is_detected_as_text_not_refused_as_binary(tmp_path: Path) -> None:
    """UTF-16 puts NUL bytes between ASCII letters; the text importer decodes it, so its sniff must accept it."""
    article, warnings = parse_file(FIXTURES / "utf16-dump.txt", ImportOptions())
    assert article.title == "A Dump In UTF-16 With A Title"
    assert [author.name for author in article.authors] == ["Ayşe Yılmaz"]
    assert any("decoded as UTF-16" in warning for warning in warnings)


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            archive.writestr(name, b"\x00\x01 not really " * 50)
    return buffer.getvalue()


def test_the_word_sniff_wants_a_word_part_or_a_zip_too_damaged_to_say() -> None:
    assert detect_format(_zip("[Content_Types].xml", "word/document.xml"), Path("x.docx")) == "docx"
    assert detect_format(_zip("[Content_Types].xml", "xl/workbook.xml"), Path("x.xlsx")) == "docx", \
        "an Office archive: the Word importer says it is not a Word document"
    assert detect_format(b"PK\x03\x04" + bytes(100), Path("x.docx")) == "docx", "the Word importer names the damage"
    with pytest.raises(ArticleFormatError, match=r"tried docx \(a zip archive but not a Word document\)"):
        detect_format(_zip("photo.jpg", "notes/a.bin"), Path("photos.docx"))


def test_get_engine_looks_names_up_and_refuses_unknown_ones_in_one_line(run_cli) -> None:
    assert isinstance(get_engine("pseudo"), PseudoEngine)
    with pytest.raises(EngineError) as refused:
        get_engine("deepl")
    assert str(refused.value) == "unknown engine 'deepl'; choose one of argos, pseudo"
    result = run_cli("translate", "--engine", "deepl")
    assert result.code == 2 and "invalid choice: 'deepl'" in result.err
    assert result.err.split("(choose from ")[1].replace("'", "").startswith("argos, pseudo)")


def test_engines_are_imported_only_when_chosen() -> None:
    code = ("import sys; from thinktank.engines import get_engine; import thinktank.cli; "
            "assert 'thinktank.engines.argos' not in sys.modules and 'thinktank.engines.pseudo' not in sys.modules; "
            "get_engine('pseudo'); assert 'thinktank.engines.pseudo' in sys.modules; "
            "assert 'thinktank.engines.argos' not in sys.modules and 'ctranslate2' not in sys.modules")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_without_the_argos_extra_the_engine_says_how_to_install_it(monkeypatch, run_cli, tmp_path) -> None:
    """``make site`` installs no argostranslate; translate and models once crashed with ModuleNotFoundError."""
    import sys

    for name in ("argostranslate", "argostranslate.package", "argostranslate.settings"):
        monkeypatch.setitem(sys.modules, name, None)
    for args in (("models", "list"), ("translate", "--to", "tr", "--translations-dir", tmp_path)):
        result = run_cli(*args)
        assert result.code == 1 and result.err.strip() == (
            "error: argostranslate is not installed; install the engine with: pip install -e '.[argos]'")
