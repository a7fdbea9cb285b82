"""An in-memory near-duplicate index: MinHash LSH banding plus who was seen first.

LSH only proposes candidates; each is confirmed with the MinHash Jaccard estimate against the
threshold, and among the confirmed ones the story seen first wins, so ``duplicate_of`` always
points at the original and never at a later copy.

The banding is datasketch's ``MinHashLSH`` (its band count and width for the threshold and
weights, the same bands of the signature, a candidate for every shared band), kept here in
plain dicts beside one array of all signatures. On a site that repeats its stock sentences
the index proposes dozens of candidates per story, and confirming them one MinHash at a time
(and datasketch's per-band byte-swapping on insert and query) cost more than signing the
story; here every candidate is confirmed in one array comparison.
tests/pipelines/test_near_duplicates.py checks that the candidates are MinHashLSH's.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from datasketch import MinHash, MinHashLSH

from newscrawl.config import ConfigError

# When a story was first seen: (first_seen ISO UTC, sequence within the run), so stored stories
# sort before this run's and this run's sort by arrival.
Order = tuple[str, int]

# datasketch cannot band for a threshold of 1.0; candidates are still confirmed at the real one.
_MAX_LSH_THRESHOLD: Final = 0.99
# Band for recall: every candidate is confirmed with the MinHash estimate, so a false candidate
# costs microseconds while a missed one is a missed duplicate. At threshold 0.8 and 128
# permutations the default (0.5, 0.5) gives 9 bands of 13 rows, which proposes a pair of true
# Jaccard 0.8 only 40% of the time; (0.01, 0.99) gives 18 bands of 7 rows: 98.6%.
_LSH_WEIGHTS: Final = (0.01, 0.99)
_INITIAL_ROWS: Final = 1024

Signature = np.ndarray[Any, Any]


class NearDuplicateIndex:
    def __init__(self, threshold: float, num_perm: int) -> None:
        self.threshold = threshold
        try:
            lsh = MinHashLSH(
                threshold=min(threshold, _MAX_LSH_THRESHOLD),
                num_perm=num_perm,
                weights=_LSH_WEIGHTS,
            )
        except ValueError as exc:
            raise ConfigError(
                f"NEWSCRAWL_NEAR_DUPLICATE_THRESHOLD={threshold} with "
                f"NEWSCRAWL_MINHASH_PERMUTATIONS={num_perm} cannot be indexed: {exc}"
            ) from exc
        self.num_perm = num_perm
        self.bands: int = lsh.b
        self.band_width: int = lsh.r
        # One row per story: its signature, its order and its id.
        self._signatures: Signature | None = None
        self._orders: list[Order] = []
        self._ids: list[str] = []
        self._rows: dict[str, int] = {}
        # Per band: the band's bytes -> the rows that share them. Lists, appended in place: on a
        # site that repeats stock sentences one band can hold thousands of rows, and rebuilding
        # an immutable bucket on every insert made loading 100,000 signatures quadratic.
        self._buckets: list[dict[bytes, list[int]]] = [{} for _ in range(self.bands)]

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, story_id: str) -> bool:
        return story_id in self._rows

    def add(self, story_id: str, order: Order, minhash: MinHash) -> None:
        """Index ``story_id``; a story indexed before is replaced (its content changed)."""
        signature = self._checked(minhash)
        row = self._rows.get(story_id)
        if row is None:
            row = len(self._ids)
            self._ids.append(story_id)
            self._orders.append(order)
            self._rows[story_id] = row
            self._signatures = _with_room(self._signatures, row, signature)
        else:
            assert self._signatures is not None
            for buckets, key in zip(self._buckets, self._band_keys(self._signatures[row]),
                                    strict=True):
                bucket = buckets[key]
                bucket.remove(row)
                if not bucket:
                    del buckets[key]
            self._orders[row] = min(order, self._orders[row])
        self._signatures[row] = signature
        for buckets, key in zip(self._buckets, self._band_keys(signature), strict=True):
            buckets.setdefault(key, []).append(row)

    def candidates(self, minhash: MinHash) -> list[str]:
        """The stories sharing at least one band with ``minhash`` (``MinHashLSH.query``)."""
        return [self._ids[row] for row in sorted(self._candidate_rows(self._checked(minhash)))]

    def first_match(
        self, minhash: MinHash, *, before: Order, exclude: str
    ) -> tuple[str, Order, float] | None:
        """The earliest-seen story (seen before ``before``) whose similarity reaches the threshold.

        Returns its id, order and Jaccard estimate, or None. Of stories seen at the same moment,
        the one indexed first.
        """
        signature = self._checked(minhash)
        rows = self._candidate_rows(signature)
        if not rows:
            return None
        assert self._signatures is not None
        candidates = np.fromiter(sorted(rows), dtype=np.intp, count=len(rows))
        # MinHash.jaccard of every candidate at once: equal hash values over the permutations.
        agreeing = np.count_nonzero(self._signatures[candidates] == signature, axis=1)
        similarity = agreeing / float(self.num_perm)
        reached = similarity >= self.threshold
        best: tuple[str, Order, float] | None = None
        # Only candidates at the threshold can be the answer; in row order, as indexed.
        for row, value in zip(candidates[reached].tolist(), similarity[reached].tolist(),
                              strict=True):
            story_id, order = self._ids[row], self._orders[row]
            if story_id == exclude or order >= before:
                continue
            if best is None or order < best[1]:
                best = (story_id, order, value)
        return best

    def _candidate_rows(self, signature: Signature) -> set[int]:
        rows: set[int] = set()
        for buckets, key in zip(self._buckets, self._band_keys(signature), strict=True):
            found = buckets.get(key)
            if found:
                rows.update(found)
        return rows

    def _band_keys(self, signature: Signature) -> list[bytes]:
        """The bytes of each band of the signature: bands are equal when their bytes are."""
        data = signature.tobytes()
        width = self.band_width * signature.itemsize
        return [data[start:start + width] for start in range(0, self.bands * width, width)]

    def _checked(self, minhash: MinHash) -> Signature:
        values: Signature = minhash.hashvalues
        # In this machine's byte order, so that band bytes compare equal for equal values
        # (a signature loaded from the store is little-endian).
        signature = values.astype(values.dtype.newbyteorder("="), copy=False)
        if len(signature) != self.num_perm:
            raise ValueError(f"Expecting minhash with length {self.num_perm}, "
                             f"got {len(signature)}")
        return signature


def _with_room(signatures: Signature | None, row: int, like: Signature) -> Signature:
    """The signature array, grown (doubled) when ``row`` does not fit in it."""
    if signatures is None:
        return np.empty((max(_INITIAL_ROWS, row + 1), len(like)), dtype=like.dtype)
    if row < len(signatures):
        return signatures
    grown = np.empty((2 * len(signatures), signatures.shape[1]), dtype=signatures.dtype)
    grown[: len(signatures)] = signatures
    return grown
