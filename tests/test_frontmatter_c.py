"""libyaml (PyYAML's C loader and dumper) reads and writes pages exactly as the pure-Python ones do.

Pages are compared byte for byte on re-import, so a machine with libyaml and
one without must write the same bytes, and read the same values.
"""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from thinktank import frontmatter

pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")

_text = st.text(st.characters(codec="utf-8"), max_size=40)
_scalar = st.one_of(_text, st.integers(-10**6, 10**6), st.booleans(), st.none(), st.dates(),
                    st.floats(allow_nan=False, allow_infinity=False))
_key = st.from_regex(r"[a-z_]{1,12}", fullmatch=True)
"""Keys are the schema's field names (an empty key is the one thing the emitters write differently)."""
_value = st.recursive(_scalar, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(_key, inner, max_size=4)), max_leaves=12)
_meta = st.dictionaries(_key, _value, max_size=6)


def _python_dump(meta: dict[str, object]) -> str:
    return yaml.dump(meta, Dumper=frontmatter._PyDumper, sort_keys=False, allow_unicode=True, width=10_000)


def _python_load(text: str) -> object:
    return yaml.load(text, Loader=frontmatter._PageLoader)  # noqa: S506 - a SafeLoader subclass


@settings(max_examples=300, deadline=None)
@given(_meta)
def test_c_dumper_writes_the_python_dumpers_bytes(meta: dict[str, object]) -> None:
    head = frontmatter.dump(meta, "").removeprefix("---\n").removesuffix("---\n")
    assert head == _python_dump(meta)


@settings(max_examples=300, deadline=None)
@given(_meta)
def test_c_loader_reads_what_the_python_loader_reads(meta: dict[str, object]) -> None:
    text = _python_dump(meta)
    assert frontmatter.load_yaml(text) == _python_load(text)


@pytest.mark.parametrize("text", [
    "date: 2024-13-45\n", "n: !!int foo\n", "b: !!bool maybe\n", "when: 2024-01-02\n", "x: 0x1F\n", "y: 1_000\n",
    "z: .inf\n", "w: ~\n", "t: 2001-12-14t21:59:43.10-05:00\n",
])
def test_c_loader_keeps_the_page_rules(text: str) -> None:
    try:
        expected: object = _python_load(text)
    except yaml.YAMLError as exc:
        with pytest.raises(yaml.YAMLError) as caught:
            frontmatter.load_yaml(text)
        assert frontmatter.one_line(caught.value) == frontmatter.one_line(exc)
        return
    assert frontmatter.load_yaml(text) == expected


def test_bad_dates_stay_text_with_either_loader() -> None:
    assert frontmatter.load_yaml("date: 2024-13-45\n") == {"date": "2024-13-45"}
    assert frontmatter.load_yaml("date: 2024-01-02\n") == {"date": dt.date(2024, 1, 2)}
