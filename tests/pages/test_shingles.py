"""The benchmark's measure itself, on texts small enough to count by hand."""

from __future__ import annotations

import pytest

from newscrawl.pages.shingles import Overlap, averaged, overlap, shingles, support, tokens


def test_tokens_are_word_runs_in_any_script() -> None:
    assert tokens("Hong Kong (CNN) — it's 5:00, 東京都") == [
        "Hong", "Kong", "CNN", "it", "s", "5", "00", "東京都"]


def test_shingles_are_runs_of_four_with_counts() -> None:
    assert shingles("a b c d e a b c d") == {
        ("a", "b", "c", "d"): 2, ("b", "c", "d", "e"): 1, ("c", "d", "e", "a"): 1,
        ("d", "e", "a", "b"): 1, ("e", "a", "b", "c"): 1}
    # Shorter than four words: the whole text is one shingle.
    assert shingles("just two") == {("just", "two"): 1}
    assert shingles("") == {}


def test_identical_texts_score_one_and_layout_does_not_matter() -> None:
    found = overlap("One two three four five.", "one two three four five")
    # Case counts, as in the benchmark: only "two three four five" is shared.
    assert (found.precision, found.recall) == (0.5, 0.5)
    same = overlap("One two three four five.", "One two\n\nthree four, five")
    assert same == Overlap(1.0, 0.0, 0.0)
    assert (same.precision, same.recall, same.f1) == (1.0, 1.0, 1.0)


def test_extra_and_missing_runs_counted_and_normalised() -> None:
    # truth: 6 words = 3 shingles; prediction adds 2 words at the end = 2 extra shingles
    # and drops the first word = 1 missing shingle: tp 2, fp 2, fn 1 over a sum of 5.
    found = overlap("w1 w2 w3 w4 w5 w6", "w2 w3 w4 w5 w6 x1 x2")
    assert found == Overlap(pytest.approx(2 / 5), pytest.approx(2 / 5), pytest.approx(1 / 5))
    assert found.precision == pytest.approx(0.5)
    assert found.recall == pytest.approx(2 / 3)
    assert found.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))


def test_a_long_page_weighs_as_much_as_a_short_one() -> None:
    long_true = " ".join(f"w{i}" for i in range(1000))
    assert overlap(long_true, long_true) == overlap("a b c d e", "a b c d e")


def test_averages_leave_a_page_without_prediction_out_of_precision() -> None:
    perfect = overlap("a b c d e", "a b c d e")
    empty = overlap("a b c d e", "")
    assert (empty.precision, empty.recall) == (0.0, 0.0)
    scores = averaged([perfect, empty])
    assert scores.precision == 1.0  # the empty prediction is not counted
    assert scores.recall == 0.5  # but its missing text is
    assert scores.f1 == pytest.approx(2 * 1.0 * 0.5 / 1.5)
    assert averaged([]).f1 == 0.0


def test_support_of_a_line_in_another_text() -> None:
    other_text = "the quick brown fox jumps over the lazy dog"
    other = set(shingles(other_text))
    joined = " ".join(tokens(other_text))
    assert support("quick brown fox jumps over", other, joined) == 1.0
    assert support("quick brown fox jumps all day", other, joined) == pytest.approx(1 / 3)
    assert support("lazy dog", other, joined) == 1.0  # short lines: the words in a row
    assert support("dog lazy", other, joined) == 0.0
    assert support("the la", other, joined) == 0.0  # whole words only
