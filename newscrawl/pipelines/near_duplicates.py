"""An in-memory near-duplicate index: datasketch MinHashLSH plus who was seen first.

LSH only proposes candidates; each is confirmed with the MinHash Jaccard estimate against the
threshold, and among the confirmed ones the story seen first wins, so ``duplicate_of`` always
points at the original and never at a later copy.
"""

from __future__ import annotations

from typing import Final

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


class NearDuplicateIndex:
    def __init__(self, threshold: float, num_perm: int) -> None:
        self.threshold = threshold
        try:
            self._lsh = MinHashLSH(
                threshold=min(threshold, _MAX_LSH_THRESHOLD),
                num_perm=num_perm,
                weights=_LSH_WEIGHTS,
            )
        except ValueError as exc:
            raise ConfigError(
                f"NEWSCRAWL_NEAR_DUPLICATE_THRESHOLD={threshold} with "
                f"NEWSCRAWL_MINHASH_PERMUTATIONS={num_perm} cannot be indexed: {exc}"
            ) from exc
        self._entries: dict[str, tuple[Order, MinHash]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, story_id: str) -> bool:
        return story_id in self._entries

    def add(self, story_id: str, order: Order, minhash: MinHash) -> None:
        """Index ``story_id``; a story indexed before is replaced (its content changed)."""
        previous = self._entries.get(story_id)
        if previous is not None:
            self._lsh.remove(story_id)
            order = min(order, previous[0])
        self._lsh.insert(story_id, minhash, check_duplication=False)
        self._entries[story_id] = (order, minhash)

    def first_match(
        self, minhash: MinHash, *, before: Order, exclude: str
    ) -> tuple[str, Order, float] | None:
        """The earliest-seen story (seen before ``before``) whose similarity reaches the threshold.

        Returns its id, order and Jaccard estimate, or None.
        """
        best: tuple[str, Order, float] | None = None
        for key in self._lsh.query(minhash):
            story_id = str(key)
            if story_id == exclude:
                continue
            order, other = self._entries[story_id]
            if order >= before or (best is not None and order >= best[1]):
                continue
            similarity = float(minhash.jaccard(other))
            if similarity >= self.threshold:
                best = (story_id, order, similarity)
        return best
