"""Bytes of a page to text, by the rules browsers use: BOM, then the HTTP charset, then the
page's ``<meta charset>``, then a detector (multi-byte charsets), else the locale's default
(windows-1252).

One departure, on purpose: a declared charset the bytes do not follow (Latin-1 bytes labelled
UTF-8, a common CMS fault) is not decoded with replacement characters, as browsers and Scrapy's
``response.text`` do; the detector picks the charset instead, and the caller can count the page
as mislabelled. Pure: bytes and a header in, text out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

import charset_normalizer
from charset_normalizer.utils import is_multi_byte_encoding
from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

Source = Literal["bom", "header", "meta", "undeclared", "detected"]
# The detector reads this much: enough text to judge a page, bounded time on a huge one.
DETECT_BYTES: Final = 256 * 1024
# What browsers in the site's locale (Malaysia, English) assume for a page in a single-byte
# charset. The detector cannot tell Latin code pages apart on an English page with a few
# accented names (it chose cp1257 for "Café naïve"), while the site writes no other.
LOCALE_DEFAULT: Final = "cp1252"


@dataclass(frozen=True, slots=True)
class DecodedPage:
    text: str
    encoding: str
    source: Source
    # A charset was declared (header or meta) and the bytes are not valid in it.
    mislabelled: bool = False


def decode_html(body: bytes, content_type: str | None = None) -> DecodedPage:
    bom_encoding, bom = read_bom(body)
    if bom_encoding and bom:
        return DecodedPage(body[len(bom):].decode(bom_encoding, "replace"), bom_encoding, "bom")
    mislabelled = False
    for source, encoding in _declared(body, content_type):
        text = _strict(body, encoding)
        if text is not None:
            return DecodedPage(text, encoding, source)
        mislabelled = True
        break  # the first declaration is the one a browser obeys: it is wrong, so detect
    if not mislabelled:
        text = _strict(body, "utf-8")  # most pages that say nothing are UTF-8
        if text is not None:
            return DecodedPage(text, "utf-8", "undeclared")
    encoding = _detect(body)
    return DecodedPage(body.decode(encoding, "replace"), encoding, "detected", mislabelled)


def _declared(body: bytes, content_type: str | None) -> Iterator[tuple[Source, str]]:
    """The charsets the response declares, in the order a browser obeys them. Lazily: the
    page's ``<meta>`` is scanned for only when the header names no charset."""
    from_header = _header_charset(content_type) if content_type else None
    if from_header:
        yield "header", from_header
    from_meta = html_body_declared_encoding(body)
    if from_meta:
        yield "meta", from_meta


@lru_cache(maxsize=64)
def _header_charset(content_type: str) -> str | None:
    # A crawl sees a handful of Content-Type values; w3lib parses each with regexes and
    # codec lookups (~15 µs a page, as much as decoding it).
    return http_content_type_encoding(content_type)


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(body: bytes) -> str:
    """A multi-byte charset (UTF-16, GB18030, Big5, Shift_JIS…) when the detector finds one,
    else the locale's single-byte default."""
    best = charset_normalizer.from_bytes(body[:DETECT_BYTES]).best()
    if best is None or not is_multi_byte_encoding(best.encoding):
        return LOCALE_DEFAULT
    return resolve_encoding(best.encoding) or best.encoding
