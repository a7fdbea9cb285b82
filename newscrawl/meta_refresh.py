"""Whether a page can hold a meta refresh, told from its bytes, and Scrapy's meta refresh
middleware asking that first.

Scrapy reads a page's meta refresh from the first 4,096 characters of ``response.text``: it
decodes the whole body for them, resolves the ``<base href>`` and scans the ``<meta>`` tags,
~60 µs a replica page (bench/bench_response_machinery.py), paid by every HTML response although
almost no page declares one. A refresh is a ``<meta>`` whose attributes say "refresh", which
w3lib looks for before anything else: in an encoding that writes ASCII as itself, those seven
letters are seven bytes of the body's head, so a head without them (any case) has no refresh,
and both readers of the meta refresh (``OriginGuardMiddleware`` and ``MetaRefreshMiddleware``
below) skip Scrapy's reading. Any other page gets Scrapy's own reading, unchanged.
"""

from __future__ import annotations

from typing import Final

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefresh
from scrapy.http import HtmlResponse, Response

# Scrapy reads ``response.text[0:4096]``: at most 4 bytes a character in UTF-8.
HEAD_CHARACTERS: Final = 4096
HEAD_BYTES: Final = 4 * HEAD_CHARACTERS
# Encodings (as Scrapy names them, ``TextResponse.encoding``) that decode every ASCII byte to
# itself and every other byte to a character outside ASCII, with no shift state: "refresh" in
# the text is b"refresh" in the bytes. Any other encoding (UTF-16, ISO-2022-JP, EBCDIC…) is
# left to Scrapy.
ASCII_SAFE: Final = frozenset({"utf-8", "ascii", "cp1252", "latin-1", "iso8859-1", "iso8859-15"})


def may_refresh(response: HtmlResponse) -> bool:
    """False only when the head Scrapy reads for a meta refresh cannot declare one."""
    if response.encoding not in ASCII_SAFE:
        return True
    head = response.body[:HEAD_CHARACTERS]
    if not head.isascii():  # then a character may take more than one byte
        head = response.body[:HEAD_BYTES]
    return b"refresh" in head.lower()


class MetaRefreshMiddleware(ScrapyMetaRefresh):
    """Scrapy's, in its place (580), reading the refresh only of a page that may hold one."""

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Request | Response:
        if isinstance(response, HtmlResponse) and not may_refresh(response):
            return response
        return super().process_response(request, response)
