"""The extraction development set (``fixtures/extraction-dev``): real pages from many sites with
their bodies marked by hand, read by the fallback benchmark and its tests."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from newscrawl.pages import document

ROOT = Path(__file__).resolve().parents[2]
DEV_DIR = ROOT / "fixtures" / "extraction-dev"


@dataclass(frozen=True, slots=True)
class DevPage:
    id: str
    url: str
    html: str  # decoded as the crawler decodes a response
    body: str  # the body a person marked


def load_dev_pages(directory: Path = DEV_DIR, ids: list[str] | None = None) -> list[DevPage]:
    """The set's pages in id order (all, or those whose id starts with one of ``ids``)."""
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        if ids is not None and not any(page_id.startswith(prefix) for prefix in ids):
            continue
        raw = gzip.decompress((directory / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append(DevPage(page_id, truth[page_id]["url"], document.decode(raw),
                             truth[page_id]["articleBody"]))
    return pages


def halves(pages: list[DevPage]) -> tuple[list[DevPage], list[DevPage]]:
    """Two fixed halves (alternate pages in id order), to see whether a figure holds on both."""
    return pages[::2], pages[1::2]
