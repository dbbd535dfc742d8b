"""Issue 12, importing 1,000 dumps in under 2 s of CPU: every shortcut answers as the plain definition does.

Each fast path (a character scan on a bitmap class, a regex prefilter, a pass skipped when its character is
absent, a spellings table limited to the words looked up, one ``syncfs`` per batch) is compared here with the
straightforward code it replaced, on generated inputs that mix scripts, controls, astral characters and
Markdown syntax. The goldens (``test_import_cases.py``, ``test_import_seeds.py``) pin the bytes of whole pages.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest

from thinktank import authors, fsutil, staging
from thinktank.importers import assemble, characters, decoding, profiles, text
from thinktank.importers import profile as profile_module
from thinktank.importers.profile import Profile

ALPHABET = ("aZ şğıİIiçöüÖÇ ЖжяІї αβΣς אב عرب پ 日本 かカ 한 ²½Ⅻ _1٣ \n\t\r.,;:!?-–—\"'’()[]{}<>&#*`\\|/~+=^ "
            "\x00\x08\x0b\x0c\x1b\x1c\x7f\x85\x9b\u00a0\u00ad\u200b\u200c\u200d\u2028\u2029\u202e\u2066\u2060"
            "\ufeff\ufdd0\ufffe\U0001fffe\U0010ffff\U0001f642\U00010400\U00010428ǅ ß ŉ ﬁ K ſ Ā Ḁ \u0300")


def _samples(seed: int, count: int, longest: int = 80) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, longest))) for _ in range(count)]


# --- characters: what each scan finds ---------------------------------------------------------------

def _members(chars: str, sample: str) -> list[str]:
    return [char for char in sample if char in chars]


def test_control_character_scans_find_what_a_scan_per_character_finds() -> None:
    block = characters._REMOVED + characters._LINE_BREAKS + characters._PARAGRAPH_BREAK
    meta = block + characters._ZERO_WIDTH + characters._JOINERS + "\r\n\t"
    for sample in _samples(1, 3000):
        assert characters._TEXT.findall(sample) == _members(block, sample), repr(sample)
        assert characters._META.findall(sample) == _members(meta, sample), repr(sample)
    for sample in ("Plain title", "Ünïcödé 日本 \U0001f642", "x\U0001fffe", "\U0010ffff", "a\u2029b"):
        assert characters._TEXT.findall(sample) == _members(block, sample)


def test_no_removed_character_is_printable_so_a_printable_text_is_left_alone() -> None:
    """The shortcut ``str.isprintable()`` rests on this: a printable text holds none of them."""
    for finder in (characters._TEXT, characters._META):
        assert finder.none_printable
        assert not any(char.isprintable() for char in finder.chars)
    removed: Counter[str] = Counter()
    for sample in _samples(2, 1500):
        cleaned = characters.clean_meta(sample, removed)
        reference = sample
        if any(char in characters._META.chars for char in sample):
            reference = " ".join(sample.translate(characters._META_TABLE).split())
        assert cleaned == reference, repr(sample)


# --- decoding -----------------------------------------------------------------------------------------

def test_looks_binary_counts_controls_as_the_byte_loop_did() -> None:
    rng = random.Random(3)
    for _ in range(1500):
        data = bytes(rng.choice((rng.randrange(32), rng.randrange(256), 9, 10, 12, 13, 65)) for _ in
                     range(rng.randint(0, 400)))
        data = data.replace(b"\x00", b"") if rng.random() < 0.8 else data
        sample = data[:8192]
        controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
        expected = b"\x00" in sample or controls > len(sample) // 100
        assert decoding.looks_binary(data) == expected, data


# --- language guess ------------------------------------------------------------------------------------

def _detect_by_definition(sample_text: str) -> str:
    """The guess as written before issue 12: letters by a filter, scripts per letter, words lowered one by one."""
    sample = sample_text[:20000]
    letters = "".join(char for char in sample if char.isalpha())
    if not letters:
        return ""
    scripts = Counter(text._script(char) for char in letters)
    script, count = scripts.most_common(1)[0]
    if count * 2 < len(letters):
        return ""
    if script == "cyrillic":
        return "uk" if re.search("[іїєґ]", sample) else "bg" if sample.count("ъ") * 200 > len(letters) else "ru"
    if script == "arabic":
        return "fa" if re.search("[پچژگ]", sample) else "ar"
    if script == "han":
        return "ja" if scripts["kana"] else "zh"
    if script != "latin":
        return script if len(script) == 2 else ""
    words = [word.lower() for word in re.findall(r"[^\W\d_]+", sample)[:3000]]
    if len(words) < 5:
        return ""
    scores = {code: sum(1 for word in words if word in function_words) / len(words)
              for code, function_words in text._FUNCTION_WORDS.items()}
    code, score = max(scores.items(), key=lambda pair: pair[1])
    return code if score >= 0.08 else ""


def test_the_language_guess_equals_its_definition_on_mixed_scripts_and_function_words() -> None:
    rng = random.Random(4)
    words = [word for group in text._FUNCTION_WORDS.values() for word in group]
    words += "Σοφία ΣΟΦΙΑ İSTANBUL Işık ІЇЄ рука ъъъ سلام پژ 日本 かな 한국 ²½ x1y policy".split()
    for sample in _samples(5, 400, 40):
        picked = " ".join(rng.choice(words) for _ in range(rng.randint(0, 40)))
        for candidate in (sample, picked, f"{picked} {sample}", picked.upper()):
            assert text.detect_language(candidate) == _detect_by_definition(candidate), repr(candidate)
    at_the_limit = "the " * 239 + "x " * 2760 + "the " * 5  # the 3,000th word tips the English share to 8%
    assert text.detect_language(at_the_limit) == _detect_by_definition(at_the_limit) == "en"
    assert text.detect_language("Ж" * 30000 + " the") == _detect_by_definition("Ж" * 30000 + " the") == "ru"


# --- profiles ---------------------------------------------------------------------------------------------

def test_profile_choice_counts_signature_lines_as_one_fullmatch_per_pattern_did() -> None:
    rng = random.Random(6)
    pieces = ["PISM BULLETIN", "PISM", "ANKASAM", "Similar Posts", "This post is also available in: Türkçe",
              "xPISM", "PISMx", " ", "word", "\n", "\n", "\u2028", "\x0b"]
    for _ in range(800):
        dump = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        lines = [line.strip() for line in dump.splitlines()]
        scored = [(sum(1 for line in lines for pattern in profile.signatures if re.fullmatch(pattern, line)),
                   profile) for profile in profiles.PROFILES.values() if profile.signatures]
        best_score, best = max(scored, key=lambda pair: pair[0], default=(0, profiles.FALLBACK))
        assert profiles.choose_profile(dump, "auto") is (best if best_score else profiles.FALLBACK), repr(dump)


def test_a_profile_counts_its_own_signatures_compiled_once() -> None:
    profile = Profile(name="x", signatures=(r"(?i)menu", r".*\bX\b.*"))
    assert profile.matches(["MENU", "a X b", "aXb", "menu"]) == 3


# --- escaping -----------------------------------------------------------------------------------------------

def _escape_every_pass(paragraph: str) -> str:
    """``escape_markdown`` with every pass run, as before issue 12."""
    value = text._ESCAPE_BACKSLASH.sub(r"\\\\", paragraph)
    value = value.replace("`", "\\`").replace("{", "\\{")
    value = text._ENTITY.sub("&amp;", value)
    value = text._TAG_START.sub("&lt;", value)
    value = text._LINK.sub(lambda match: f"\\[{match.group(1)}\\](", value)
    value = value.replace("[^", "\\[^")
    value = text._LOOSE_UNDERSCORE.sub(r"\\_", value)
    value = text._escape_stars(value)
    value = text._REFERENCE_DEFINITION.sub(lambda match: f"\\[{match.group(1)}\\]:", value)
    return text._BLOCK_START.sub(lambda match: f"{match.group(1)}\\{match.group(2)}", value)


def test_escaping_skips_only_passes_that_could_not_match() -> None:
    rng = random.Random(7)
    tokens = ["\\", "`", "{", "}", "&", "&amp;", "&#1;", "<", "<b>", "</a", "[", "]", "](", "[x](y)", "[^1]",
              "[1]", "[ref]:", "_", "_a_", "a_b", "*", "**", "*a*", "**b**", "#", ">", "-", "+", "=", "1.",
              "2)", " ", " ", "word", "\n", "ş", "日"]
    for _ in range(3000):
        paragraph = "".join(rng.choice(tokens) for _ in range(rng.randint(0, 14)))
        assert text.escape_markdown(paragraph) == _escape_every_pass(paragraph), repr(paragraph)


# --- names ------------------------------------------------------------------------------------------------

def test_spellings_limited_to_the_shouted_words_answer_as_the_whole_table() -> None:
    rng = random.Random(8)
    words = "Yıldırım Yildirim YILDIRIM McDonald MCDONALD Işık IŞIK İstanbul Istanbul ıi Σοφία ΣΟΦΙΑ ǅemal " \
            "straße Straße ﬁne Kelvin a Ab AB x".split()
    for _ in range(500):
        sample = " ".join(rng.choice(words) for _ in range(rng.randint(0, 12)))
        name = " ".join(rng.choice(words) for _ in range(rng.randint(1, 3)))
        keys = authors.shouted_words(name)
        full, limited = authors.spellings(sample), authors.spellings(sample, keys)
        assert limited == {key: value for key, value in full.items() if key in keys}
        for locale in (None, "tr"):
            expected = authors.normalise_name(name, locale, full)
            assert authors.normalise_name(name, locale, limited) == expected, (name, sample)
            if not keys:
                assert authors.normalise_name(name, locale, {}) == expected


def test_where_two_spellings_share_capitals_the_first_in_the_text_wins() -> None:
    """A set's order (string hashes, different in every process) used to decide, so two runs of one
    import could spell a name two ways."""
    assert authors.spellings("Işık and Işik")["IŞIK"] == "Işık"
    assert authors.spellings("Işik and Işık")["IŞIK"] == "Işik"
    assert authors.spellings("Yildirim, Yıldırım")["YILDIRIM"] == "Yildirim"
    assert authors.spellings("Yıldırım, Yildirim")["YILDIRIM"] == "Yıldırım"


def test_an_article_without_shouted_names_builds_no_spellings_table(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = authors.spellings
    monkeypatch.setattr(authors, "spellings", lambda *args: calls.append("called") or real(*args))
    parsed = assemble.Parsed(title="A Title", paragraphs=["Text by Jane Doe."], names=["Jane Doe"])
    assert [author.name for author in assemble._authors(parsed, Profile(name="x"))] == ["Jane Doe"]
    assert calls == []
    parsed = assemble.Parsed(title="A Title", paragraphs=["Text by Jane McDonald."], names=["JANE MCDONALD"])
    assert [author.name for author in assemble._authors(parsed, Profile(name="x"))] == ["Jane McDonald"]
    assert calls == ["called"]


# --- staging: one sync for the batch, before its journal -----------------------------------------------------

def test_a_batch_is_made_durable_once_before_its_journal_is_written(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "docs"
    files = [(docs / "analyses" / f"page-{number}.md", f"page {number}\n".encode()) for number in range(30)]
    seen: list[tuple[int, bool, list[bytes]]] = []
    real = fsutil.sync_files

    def sync_files(folder: Path, paths: list[Path]) -> None:
        seen.append((len(paths), (folder / staging.JOURNAL).exists(), [path.read_bytes() for path in paths]))
        real(folder, paths)

    monkeypatch.setattr(staging, "sync_files", sync_files)
    staging.commit(docs, files)
    assert [(count, journal) for count, journal, _ in seen] == [(30, False)]
    assert seen[0][2] == [data for _, data in files]
    assert [(path.read_bytes()) for path, _ in files] == [data for _, data in files]
    assert not (docs / staging.STAGING_DIR).exists()


def test_without_syncfs_each_staged_file_and_the_folder_are_fsynced(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    paths = []
    for number in range(3):
        path = tmp_path / f"{number}.staged"
        fsutil.write_new(path, b"x")
        paths.append(path)
    synced: list[int] = []
    real = fsutil.os.fsync
    monkeypatch.setattr(fsutil, "_SYNCFS", None)
    monkeypatch.setattr(fsutil.os, "fsync", lambda fd: synced.append(fd) or real(fd))
    fsutil.sync_files(tmp_path, paths)
    assert len(synced) == 4
    with pytest.raises(FileExistsError):
        fsutil.write_new(paths[0], b"y")  # a staged name is never written twice
    assert paths[0].read_bytes() == b"x"


def test_disclaimer_lines_are_found_as_the_case_blind_regex_found_them() -> None:
    """The shortcut for ASCII lines (lower case, then plain substrings) against the pattern it replaced."""
    before = re.compile(
        r"(?i)\b(do(es)? not necessarily (reflect|represent|state)|views expressed (herein|in this)|"
        r"only represent the views|does not take institutional positions|all rights reserved|"
        r"sole responsibility of the author|yazarın kendi görüşü|не обязательно отражает)")
    rng = random.Random(9)
    pieces = ["do", "does", "DOES", " not ", " NOT ", "necessarily", "Necessarily", " reflect", " state", "views",
              " expressed ", "herein", "in this", "only represent the views", "all rights reserved", "All Rights",
              " Reserved", "sole ", "ſole ", "responsibility of the author", "yazarın kendi görüşü", "YAZARIN",
              "yazarin", " kendi görüşü", "не обязательно отражает", "НЕ ОБЯЗАТЕЛЬНО", " отражает", "x", "_", " ",
              "Kelvin K", "does not take institutional positions", "İ", "ı"]
    for _ in range(4000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        assert profile_module.has_disclaimer(line) == bool(before.search(line)), repr(line)
