"""Issue 12, import speed without a change of behaviour: the text importer's language guess counts
letters per script with the regex engine, and must count exactly as the per-letter loop did."""

from __future__ import annotations

import random
from collections import Counter

from thinktank.importers import text


def test_letters_and_script_counts_equal_the_per_letter_definition() -> None:
    rng = random.Random(12)
    alphabet = "aZşğıİçöü²½ⅫЖжяІїαβאבعربپ日本かカ한ー_1٣ \n.ĀḀ\u0300🙂"
    for _ in range(2000):
        sample = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        letters = [char for char in sample if char.isalpha()]
        assert text._letters(sample) == "".join(letters), sample
        if letters:
            by_loop = Counter(text._script(char) for char in letters)
            counted = text._script_counts("".join(letters))
            assert counted == by_loop and list(counted) == list(by_loop), sample  # same ties for most_common
