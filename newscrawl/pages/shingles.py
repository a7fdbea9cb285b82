"""Texts compared as runs of four words (shingles), the way the article-extraction benchmark
compares an extracted body with the one a person marked.

The fallback extractor asks the same question of two extractors' outputs ("does the second one
also hold this line?"), and the benchmark asks it of the output and the truth, so both use the
one tokenisation: ``\\w+`` runs, which works for any script without a word list.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

SHINGLE_SIZE = 4
_TOKEN_RE = re.compile(r"\w+")

Shingle = tuple[str, ...]


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[Shingle]:
    """Each run of ``size`` tokens with its count; a text shorter than that is one shingle."""
    words = tokens(text)
    return Counter(tuple(words[i:i + size]) for i in range(max(1, len(words) - size + 1))
                   if words[i:i + size])


@dataclass(frozen=True, slots=True)
class Overlap:
    """Shared (tp), extra (fp) and missing (fn) shingles of a prediction, as shares of their
    sum, so that a long page weighs no more than a short one."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        return 0.0 if self.tp == self.fp == 0 else self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        return 0.0 if self.tp == self.fn == 0 else self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def overlap(true: str, predicted: str) -> Overlap:
    expected, got = shingles(true), shingles(predicted)
    tp = sum((expected & got).values())
    fp = sum((got - expected).values())
    fn = sum((expected - got).values())
    total = tp + fp + fn
    if not total:
        return Overlap(0.0, 0.0, 0.0)
    return Overlap(tp / total, fp / total, fn / total)


def support(line: str, other: set[Shingle], other_text: str) -> float:
    """Share of ``line``'s shingles found in another text (given as its shingle set and its
    tokens joined by spaces); a line of fewer than four words counts as found when its words
    appear there in a row."""
    words = tokens(line)
    if not words:
        return 1.0
    if len(words) < SHINGLE_SIZE:
        return 1.0 if f" {' '.join(words)} " in f" {other_text} " else 0.0
    runs = [tuple(words[i:i + SHINGLE_SIZE]) for i in range(len(words) - SHINGLE_SIZE + 1)]
    return sum(1 for run in runs if run in other) / len(runs)


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float


def averaged(overlaps: list[Overlap]) -> Scores:
    """The benchmark's figures: precision and recall averaged over pages (a page with no
    prediction is left out of precision, one with no true text out of recall), F1 of the two."""
    precisions = [o.precision for o in overlaps if o.tp + o.fp > 0]
    recalls = [o.recall for o in overlaps if o.tp + o.fn > 0]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return Scores(p, r, 2 * p * r / (p + r) if p + r else 0.0)
