"""The index's bands are datasketch's: ``optimal_bands`` against ``MinHashLSH``'s own search."""

from __future__ import annotations

import pytest
from datasketch import MinHashLSH
from datasketch.lsh import _optimal_param

from newscrawl.config import ConfigError, NewscrawlConfig
from newscrawl.pipelines.lsh_bands import optimal_bands
from newscrawl.pipelines.near_duplicates import NearDuplicateIndex

DEFAULTS = NewscrawlConfig.from_settings({})


@pytest.mark.parametrize("num_perm", [16, 64, DEFAULTS.minhash_permutations])
@pytest.mark.parametrize("weights", [(0.01, 0.99), (0.5, 0.5)])
def test_bands_are_datasketchs(num_perm: int, weights: tuple[float, float]) -> None:
    thresholds = (0.0, 0.3, 0.5, 0.75, DEFAULTS.near_duplicate_threshold, 0.9, 0.99, 1.0)
    for threshold in thresholds:
        expected = _optimal_param(threshold, num_perm, *weights)
        assert optimal_bands(threshold, num_perm, weights) == expected, (threshold, num_perm)


def test_the_default_index_bands_as_minhashlsh_does() -> None:
    threshold, num_perm = DEFAULTS.near_duplicate_threshold, DEFAULTS.minhash_permutations
    index = NearDuplicateIndex(threshold, num_perm)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.01, 0.99))
    assert (index.bands, index.band_width) == (lsh.b, lsh.r) == (18, 7)


def test_settings_datasketch_cannot_band_are_a_config_error() -> None:
    # One band of 14 rows: MinHashLSH refuses it (b < 2), and so does the index.
    with pytest.raises(ValueError, match="too small"):
        MinHashLSH(threshold=0.99, num_perm=16, weights=(0.01, 0.99))
    with pytest.raises(ConfigError, match="too small"):
        NearDuplicateIndex(0.99, 16)
    with pytest.raises(ValueError, match="threshold"):
        optimal_bands(1.5, 128, (0.5, 0.5))
