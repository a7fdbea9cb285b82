"""The meta refresh read only where a page's head can hold one: never a different verdict from
Scrapy's own reading (``scrapy.utils.response.get_meta_refresh``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse, Response
from scrapy.utils.response import get_meta_refresh
from scrapy.utils.test import get_crawler

from newscrawl.meta_refresh import HEAD_CHARACTERS, MetaRefreshMiddleware, may_refresh

PAGES = sorted((Path(__file__).parents[2] / "fixtures" / "pages").glob("*.html"))
URL = "http://127.0.0.1:8080/aseanplus/aseanplus-news/2026/11/20/a"
REFRESH = '<meta http-equiv="refresh" content="0; url=/elsewhere">'
HEAD = "<html><head><title>{title}</title>{meta}</head><body><p>{body}</p></body></html>"


def page(body: bytes, charset: str | None = "utf-8") -> HtmlResponse:
    headers = {"Content-Type": f"text/html; charset={charset}" if charset else "text/html"}
    return HtmlResponse(URL, body=body, headers=headers, request=Request(URL))


def html(meta: str = "", title: str = "A story", body: str = "Text.") -> str:
    return HEAD.format(title=title, meta=meta, body=body)


def variants() -> list[tuple[str, HtmlResponse]]:
    """Pages with and without a refresh, in the spellings and encodings that could fool a
    test of the bytes."""
    cases = [(path.name, page(path.read_bytes())) for path in PAGES]
    for name, meta in [
        ("plain", REFRESH),
        ("upper case", REFRESH.upper().replace("/ELSEWHERE", "/elsewhere")),
        ("mixed case", '<META HTTP-EQUIV="Refresh" CONTENT="5;URL=/x">'),
        ("in noscript", f"<noscript>{REFRESH}</noscript>"),
        ("in a script", '<script>var refresh = 1;</script>'),
        ("none", ""),
    ]:
        cases.append((name, page(html(meta).encode())))
    # Past 4,096 bytes but within 4,096 characters: Scrapy reads it, so it must be looked for.
    wide = "é" * (HEAD_CHARACTERS - 200)
    cases.append(("after multi-byte title", page(html(REFRESH, title=wide).encode())))
    # Past 4,096 characters: Scrapy does not read it (either verdict gives no refresh).
    cases.append(("beyond the head", page(html(REFRESH, title="x" * HEAD_CHARACTERS).encode())))
    cases.append(("cp1252", page(html(REFRESH, title="caf\xe9").encode("cp1252"), "cp1252")))
    cases.append(("undeclared", page(html(REFRESH).encode(), None)))
    for name, encoding in [("utf-16", "utf-16"), ("utf-16-le", "utf-16-le")]:
        cases.append((name, page(html(REFRESH).encode(encoding), encoding)))
        cases.append((f"{name} none", page(html().encode(encoding), encoding)))
    return cases


@pytest.mark.parametrize(("name", "response"), variants(), ids=[n for n, _ in variants()])
def test_a_page_said_to_hold_no_refresh_holds_none_for_scrapy(
        name: str, response: HtmlResponse) -> None:
    scrapy_reading = get_meta_refresh(response, ignore_tags=["noscript"])
    if not may_refresh(response):
        assert scrapy_reading == (None, None), name


def test_the_saved_pages_are_skipped_and_a_refresh_is_not() -> None:
    """What the check is for: the site's pages need no reading; a refresh is always read."""
    assert PAGES
    assert not any(may_refresh(page(path.read_bytes())) for path in PAGES)
    assert may_refresh(page(html(REFRESH).encode()))
    assert may_refresh(page(html(REFRESH).encode("utf-16"), "utf-16"))
    assert may_refresh(page(html(REFRESH, title="é" * (HEAD_CHARACTERS - 200)).encode()))


def middlewares() -> tuple[MetaRefreshMiddleware, object]:
    from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as Scrapys

    crawler = get_crawler(Spider)
    crawler._apply_settings()
    return MetaRefreshMiddleware.from_crawler(crawler), Scrapys.from_crawler(crawler)


@pytest.mark.parametrize(("name", "response"), variants(), ids=[n for n, _ in variants()])
def test_the_middleware_does_what_scrapys_does(name: str, response: HtmlResponse) -> None:
    ours, scrapys = middlewares()
    request = Request(URL)
    mine = ours.process_response(request, response)
    theirs = scrapys.process_response(request, response)  # type: ignore[attr-defined]
    if isinstance(theirs, Response):
        assert mine is theirs, name
    else:
        assert isinstance(mine, Request) and mine.url == theirs.url, name
