"""How many bands of how many rows the near-duplicate index cuts a signature into.

The choice is datasketch's ``MinHashLSH`` (``datasketch.lsh._optimal_param``): of every
(bands b, rows r) with b * r <= permutations, the first in (b, r) order that minimises the
weighted sum of the false-positive and false-negative probability areas

    fp = integral over [0, threshold] of 1 - (1 - s^r)^b
    fn = integral over [threshold, 1] of (1 - s^r)^b

Computed here because datasketch integrates with scipy, whose import costs ~1 CPU-s in every
crawl and worker, for a number that depends on two settings. Both integrands are polynomials
of degree b * r <= permutations, so Gauss-Legendre quadrature with permutations / 2 + 1 nodes
is exact (to rounding) and all pairs are summed in one array operation.
tests/pipelines/test_lsh_bands.py checks the result against datasketch's for a grid of
thresholds and permutation counts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.polynomial.legendre import leggauss


def optimal_bands(threshold: float, num_perm: int, weights: tuple[float, float]) -> tuple[int, int]:
    """(bands, rows per band) minimising ``weights[0] * fp + weights[1] * fn``."""
    if not 0.0 <= threshold <= 1.0:
        raise ValueError("threshold must be in [0.0, 1.0]")
    if num_perm < 2:
        raise ValueError("Too few permutation functions")
    # Every (b, r) in datasketch's search order: b ascending, then r.
    pairs = [(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)]
    bands = np.array([b for b, _ in pairs], dtype=np.float64)[:, None]
    rows = np.array([r for _, r in pairs], dtype=np.float64)[:, None]
    nodes, node_weights = leggauss(num_perm // 2 + 1)

    def area(low: float, high: float, missed: bool) -> np.ndarray[Any, np.dtype[np.float64]]:
        points = low + (high - low) * (nodes + 1.0) / 2.0
        not_proposed = (1.0 - points[None, :] ** rows) ** bands
        values = not_proposed if missed else 1.0 - not_proposed
        result: np.ndarray[Any, np.dtype[np.float64]] = (values @ node_weights) * (high - low) / 2
        return result

    error = weights[0] * area(0.0, threshold, False) + weights[1] * area(threshold, 1.0, True)
    # argmin takes the first of equal minima, as datasketch's strict ``<`` does.
    return pairs[int(np.argmin(error))]
