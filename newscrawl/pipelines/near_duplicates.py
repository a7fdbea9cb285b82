"""An in-memory near-duplicate index: MinHash LSH banding plus who was seen first.

LSH only proposes candidates; each is confirmed with the MinHash Jaccard estimate against the
threshold, and among the confirmed ones the story seen first wins, so ``duplicate_of`` always
points at the original and never at a later copy.

The banding is datasketch's ``MinHashLSH`` (its band count and width for the threshold and
weights, from ``lsh_bands``; the same bands of the signature, a candidate for every shared
band), without datasketch at run time (its import costs a second of CPU for scipy), kept here in
plain dicts beside one array of all signatures. On a site that repeats its stock sentences
the index proposes dozens of candidates per story, and confirming them one MinHash at a time
(and datasketch's per-band byte-swapping on insert and query) cost more than signing the
story; here every candidate is confirmed in one array comparison.

Memory: a dict entry per band per story (bytes key, list of rows) cost ~4.3 KB a story, 18
entries of ~230 bytes, and was most of what a crawl's peak memory grew by per story (43 MB at
10,000 stories). Each band is now one 32-bit key (a hash of the band's values, one hash per
band), and the keys live in one sorted array beside the rows they index (8 bytes per band; a
key of 64 bits cost 72 bytes a story more and told no more: a key shared by chance proposes a
candidate that the check below drops, about one query in 1,300 at 10,000 stories);
what was added since the last merge waits in a small dict, merged in when it reaches an eighth
of the index. A key only proposes: a candidate counts when its current signature really shares
a band with the query's, so a hash collision or a key left behind by a replaced signature
proposes nothing. tests/pipelines/test_near_duplicates.py checks that the candidates are
MinHashLSH's.

In memory, each signature is kept as the low byte of each of its values (128 bytes a story),
in blocks of a fixed number of rows, added as the index grows, never copied (one array doubled
when full, and each doubling copied it and freed the old one, which glibc then kept in its
heap). A candidate is read whole only if its low bytes could reach the threshold (see
``_low_blocks``): a few stories a run. So the whole signatures (512 bytes a story, the most a
first run held per story) are written to a temporary file and read back by row
(``signature_file``): 3-5 MB less resident memory at 10,000 stories (8,376 stories: 158
rows read back).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any, Final

import numpy as np

from newscrawl.config import ConfigError
from newscrawl.fingerprint import MinHashSignature
from newscrawl.pipelines.lsh_bands import optimal_bands
from newscrawl.pipelines.signature_file import SignatureFile

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
# Rows of a block of low bytes: 256 KB at 128 permutations; a 10,000-story run has five.
BLOCK_ROWS: Final = 2048
# Stories added before the recent keys are merged into the sorted array (at least; an eighth
# of the index when larger, so loading many stored signatures merges a few times, not often).
_MERGE_ROWS: Final = 1024
_KEY_SEED: Final = 20261201

Signature = np.ndarray[Any, Any]


class NearDuplicateIndex:
    def __init__(self, threshold: float, num_perm: int, *,
                 merge_rows: int = _MERGE_ROWS, block_rows: int = BLOCK_ROWS) -> None:
        self.threshold = threshold
        try:
            self.bands, self.band_width = optimal_bands(
                min(threshold, _MAX_LSH_THRESHOLD), num_perm, _LSH_WEIGHTS)
            if self.bands < 2:  # as MinHashLSH refuses it
                raise ValueError("The number of bands are too small (b < 2)")
        except ValueError as exc:
            raise ConfigError(
                f"NEWSCRAWL_NEAR_DUPLICATE_THRESHOLD={threshold} with "
                f"NEWSCRAWL_MINHASH_PERMUTATIONS={num_perm} cannot be indexed: {exc}"
            ) from exc
        self.num_perm = num_perm
        # The fewest equal values whose estimate (equal / num_perm, as MinHash.jaccard divides)
        # reaches the threshold: one integer comparison per candidate instead of a division.
        self._needed = next((equal for equal in range(num_perm + 1)
                             if equal / float(num_perm) >= threshold), num_perm + 1)
        self._count_type = np.uint8 if num_perm <= np.iinfo(np.uint8).max else np.int64
        # One row per story: its signature (row r of the file), its order and id.
        self._full = SignatureFile(num_perm, np.dtype(np.uint32))
        # The low byte of every value (row r in block r // block_rows): two
        # equal values have equal low bytes, so the equal low bytes of a candidate bound its
        # equal values from above, and only the few candidates that bound lets through are
        # read in full. A story of the replica's stock sentences has hundreds of candidates
        # agreeing on about half their values; reading all of them was most of the dedupe's
        # cost at 10,000 stories (the memory traffic more than the comparing).
        self._low_blocks: list[Signature] = []
        self._block_rows = block_rows
        self._orders: list[Order] = []
        self._ids: list[str] = []
        self._rows: dict[str, int] = {}
        # Band keys: sum of value * odd multiplier, wrapping modulo 2^64, one set of multipliers
        # per band, so equal values in two different bands give different keys.
        multipliers = np.random.default_rng(_KEY_SEED).integers(
            0, 2**63, size=(self.bands, self.band_width), dtype=np.uint64)
        self._multipliers: Signature = (multipliers << np.uint64(1)) | np.uint64(1)
        # Every band key of every indexed signature, sorted, and the row each belongs to.
        self._keys: Signature = np.empty(0, dtype=np.uint32)
        self._key_rows: Signature = np.empty(0, dtype=np.int32)
        # Keys added since the last merge -> their rows.
        self._recent: dict[int, list[int]] = {}
        self._recent_count = 0
        self._merge_rows = merge_rows
        self._last_keys: tuple[bytes, Signature] = (b"", self._keys)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, story_id: str) -> bool:
        return story_id in self._rows

    def add(self, story_id: str, order: Order, minhash: MinHashSignature) -> None:
        """Index ``story_id``; a story indexed before is replaced (its content changed)."""
        signature = self._checked(minhash)
        row = self._rows.get(story_id)
        if row is None:
            row = len(self._ids)
            self._ids.append(story_id)
            self._orders.append(order)
            self._rows[story_id] = row
            if row == len(self._low_blocks) * self._block_rows:
                self._low_blocks.append(np.empty((self._block_rows, self.num_perm),
                                                 dtype=np.uint8))
        else:
            # Its old keys stay, and propose nothing: the row's bands are checked on query.
            self._orders[row] = min(order, self._orders[row])
        block, offset = divmod(row, self._block_rows)
        self._full.write(row, signature)
        self._low_blocks[block][offset] = signature  # its low bytes (a cast wraps)
        for key in self._band_keys(signature).tolist():
            self._recent.setdefault(key, []).append(row)
        self._recent_count += 1
        if self._recent_count >= max(self._merge_rows, len(self._ids) // 8):
            self._merge()

    def candidates(self, minhash: MinHashSignature) -> list[str]:
        """The stories sharing at least one band with ``minhash`` (``MinHashLSH.query``)."""
        signature = self._checked(minhash)
        found = self._candidate_rows(signature)
        if not found:
            return []
        rows = np.fromiter(sorted(found), dtype=np.intp, count=len(found))
        sharing = self._sharing_band(rows, self._gather(rows), signature)
        return [self._ids[row] for row in sharing.tolist()]

    def first_match(
        self, minhash: MinHashSignature, *, before: Order, exclude: str
    ) -> tuple[str, Order, float] | None:
        """The earliest-seen story (seen before ``before``) whose similarity reaches the threshold.

        Returns its id, order and Jaccard estimate, or None. Of stories seen at the same moment,
        the one indexed first.
        """
        signature = self._checked(minhash)
        rows = self._candidate_rows(signature)
        if not rows:
            return None
        candidates = np.fromiter(rows, dtype=np.intp, count=len(rows))
        candidates.sort()  # in C: hundreds of rows at 10,000 stories
        at_most = self._count_equal(self._gather(candidates, self._low_blocks),
                                    signature.astype(np.uint8))
        possible = at_most >= self._needed
        if not possible.any():
            return None
        candidates = candidates[possible]
        signatures = self._gather(candidates)
        # MinHash.jaccard of every candidate at once: equal hash values over the permutations.
        agreeing = self._count_equal(signatures, signature)
        if agreeing.max() < self._needed:  # most stories: no candidate is close enough
            return None
        reached = agreeing >= self._needed
        proposed = self._sharing_band(candidates[reached], signatures[reached], signature)
        similarity = agreeing[reached] / float(self.num_perm)
        values = dict(zip(candidates[reached].tolist(), similarity.tolist(), strict=True))
        best: tuple[str, Order, float] | None = None
        # Only candidates at the threshold can be the answer; in row order, as indexed.
        for row in proposed.tolist():
            value = values[row]
            story_id, order = self._ids[row], self._orders[row]
            if story_id == exclude or order >= before:
                continue
            if best is None or order < best[1]:
                best = (story_id, order, value)
        return best

    def _candidate_rows(self, signature: Signature) -> set[int]:
        keys = self._band_keys(signature)
        found: set[int] = set()
        if len(self._keys):
            starts = np.searchsorted(self._keys, keys)
            # Most bands of a story are nowhere else: look for the end of those that are.
            hits = self._keys[np.minimum(starts, len(self._keys) - 1)] == keys
            if hits.any():
                ends = np.searchsorted(self._keys, keys[hits], side="right").tolist()
                for start, end in zip(starts[hits].tolist(), ends, strict=True):
                    found.update(self._key_rows[start:end].tolist())
        for key in keys.tolist():
            recent = self._recent.get(key)
            if recent:
                found.update(recent)
        return found

    def _count_equal(self, signatures: Signature, signature: Signature) -> Signature:
        """Equal values of each row of ``signatures`` with ``signature``, counted as bytes in a
        small integer type (a sum of booleans widens each to 64 bits first: twice the time)."""
        equal: Signature = (signatures == signature).view(np.uint8).sum(
            axis=1, dtype=self._count_type)
        return equal

    def close(self) -> None:
        """Let go of the signatures' file (the index answers no more lookups)."""
        self._full.close()

    def _gather(self, rows: Signature, blocks: list[Signature] | None = None) -> Signature:
        """The signatures of ``rows`` (sorted), one array row each (or their rows of
        ``blocks``: the low bytes)."""
        if blocks is None:
            return self._full.read(rows)
        # ``take``, not ``block[rows]``: the same rows, without fancy indexing's general path.
        if len(blocks) == 1:
            gathered: Signature = np.take(blocks[0], rows, axis=0)
            return gathered
        block_of = rows // self._block_rows
        gathered = np.empty((len(rows), self.num_perm), dtype=blocks[0].dtype)
        # Sorted rows: each block's are one run, found by bisection instead of a mask a block.
        bounds = np.searchsorted(block_of, np.arange(len(blocks) + 1)).tolist()
        for block, (start, end) in enumerate(pairwise(bounds)):
            if start < end:
                gathered[start:end] = np.take(blocks[block],
                                              rows[start:end] - block * self._block_rows, axis=0)
        return gathered

    def _sharing_band(self, rows: Signature, signatures: Signature,
                      signature: Signature) -> Signature:
        """Of ``rows`` (with their ``signatures``), those whose signature shares a whole band
        with ``signature`` (what MinHashLSH proposes): a key left by a replaced signature, or a
        key collision, does not."""
        width = self.bands * self.band_width
        shape = (self.bands, self.band_width)
        bands = signatures[:, :width].reshape(len(rows), *shape)
        shared = (bands == signature[:width].reshape(shape)).all(axis=2).any(axis=1)
        sharing: Signature = rows[shared]
        return sharing

    def _band_keys(self, signature: Signature) -> Signature:
        """One 32-bit key per band: equal bands give equal keys (the high half of a 64-bit
        hash, the half that all of the band's values reach)."""
        data = signature.tobytes()
        if data == self._last_keys[0]:  # a story is looked up, then added
            return self._last_keys[1]
        bands = signature[: self.bands * self.band_width].reshape(self.bands, self.band_width)
        keys: Signature = ((bands.astype(np.uint64) * self._multipliers).sum(
            axis=1, dtype=np.uint64) >> np.uint64(32)).astype(np.uint32)
        self._last_keys = (data, keys)
        return keys

    def _merge(self) -> None:
        """The recent keys into the sorted array, each after the equal keys already there.

        Inserted at their places rather than concatenated and sorted again: one new array of
        each kind instead of four, and no index of the whole; the merge runs near the end of a
        run too, when its temporaries would add to the crawl's peak."""
        count = sum(len(rows) for rows in self._recent.values())
        keys = np.fromiter((k for k, rows in self._recent.items() for _ in rows),
                           dtype=np.uint32, count=count)
        rows = np.fromiter((r for found in self._recent.values() for r in found),
                           dtype=np.int32, count=count)
        order = np.argsort(keys, kind="stable")
        keys, rows = keys[order], rows[order]
        places = np.searchsorted(self._keys, keys, side="right")
        self._keys = np.insert(self._keys, places, keys)
        self._key_rows = np.insert(self._key_rows, places, rows)
        self._recent = {}
        self._recent_count = 0

    def _checked(self, minhash: MinHashSignature) -> Signature:
        signature: Signature = minhash.values
        if len(signature) != self.num_perm:
            raise ValueError(f"Expecting minhash with length {self.num_perm}, "
                             f"got {len(signature)}")
        return signature

