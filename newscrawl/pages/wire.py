"""Wire-copy conventions: the dateline that opens a story and the agency that ends it."""

from __future__ import annotations

import re

# Agencies whose names do not look like a capitalised name ("dpa") or that are common enough
# to accept without the shape test below.
KNOWN_AGENCIES = frozenset({
    "AFP", "AFP Relaxnews", "AP", "Reuters", "Bernama", "Xinhua", "dpa", "Kyodo", "Kyodo News",
    "Yonhap", "Bloomberg", "ANN", "Asia News Network", "Antara", "VNA", "PNA", "TNS", "NYT",
    "The New York Times", "The Washington Post", "AP/Reuters", "AFP/Reuters",
})
# " - AFP" at the very end; the dash follows a space or the closing punctuation of a sentence.
_AGENCY_TAIL_RE = re.compile(
    r"(?:\s|(?<=[.!?\"”’')\]]))[-–—]{1,2}\s*(?P<agency>[A-Za-z][\w .&'’/-]{0,60}?)\s*$"
)
_DASHES = "-–—"  # the dashes _AGENCY_TAIL_RE needs before an agency
# A name: up to six capitalised words, "/" allowed ("The Straits Times/ANN").
_AGENCY_SHAPE_RE = re.compile(r"^[A-Z][\w&.'’-]*(?:[ /][A-Z&][\w&.'’-]*){0,5}$")

_UPPER = "A-ZÀ-ÖØ-Þ"
# "BEIJING:", "KUALA LUMPUR:", "HANOI (Reuters) -", "MARANG (THE STAR/ASIA NEWS NETWORK) -",
# "KUALA LUMPUR, May 22 (Bernama) --".
_DATELINE_RE = re.compile(
    rf"^(?P<place>[{_UPPER}][{_UPPER}.'’-]*(?:,? [{_UPPER}][{_UPPER}.'’-]*){{0,4}})"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"\s*(?:\([^()]{1,60}\))?\s*(?::|[-–—]{1,2})\s"
)


def find_agency(last_paragraph: str | None) -> str | None:
    """The agency named at the tail of the story's last paragraph, or None for staff copy."""
    # No dash, no agency: the regex would try a match at every space and punctuation mark.
    if not last_paragraph or not any(dash in last_paragraph for dash in _DASHES):
        return None
    match = _AGENCY_TAIL_RE.search(last_paragraph)
    if not match:
        return None
    agency = match["agency"].strip().rstrip(".")
    if agency in KNOWN_AGENCIES or agency.endswith("/ANN") or _AGENCY_SHAPE_RE.match(agency):
        return agency
    return None


def find_dateline(first_paragraph: str | None) -> str | None:
    """The place that opens the first paragraph (``BEIJING``), or None."""
    if not first_paragraph:
        return None
    match = _DATELINE_RE.match(first_paragraph)
    if not match:
        return None
    place = match["place"].strip(" ,")
    return place if len(place.replace(" ", "")) >= 2 else None


def strip_dateline(first_paragraph: str) -> str:
    """The first paragraph without its dateline (a description often starts after it)."""
    match = _DATELINE_RE.match(first_paragraph)
    return first_paragraph[match.end():] if match else first_paragraph
