"""How the spider requests a pending story again (see ``newscrawl.state.pending``)."""

from __future__ import annotations

from typing import get_args

from newscrawl.items import DiscoveredVia


def retry_via(stored: str) -> DiscoveredVia:
    """The way a pending story was first found, which its record keeps when it is retried; a
    value this version does not know (a newer one wrote it) reads as a listing link."""
    for via in get_args(DiscoveredVia):
        if via == stored:
            return via  # type: ignore[no-any-return]
    return "listing"
