"""Feed files that readers can trust: written under a hidden name, published whole or not at all."""

from newscrawl.feeds.storage import (
    AtomicFileFeedStorage,
    PartFile,
    storage_error,
    sweep_stale_parts,
    write_atomically,
)

__all__ = [
    "AtomicFileFeedStorage", "PartFile", "storage_error", "sweep_stale_parts", "write_atomically",
]
