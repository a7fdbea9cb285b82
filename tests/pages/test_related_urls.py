"""related_urls caches links that do not depend on the page they are on: same answers as
canonicalising every link against its page; a canonical URL's path read off it is urlsplit's."""

from __future__ import annotations

import itertools
from urllib.parse import urlsplit

from newscrawl.records import related_urls
from newscrawl.urls import SITE_ORIGIN, canonical_url, is_site_article, site_path

BASES = [
    "https://www.thestar.com.my/aseanplus/aseanplus-news/2025/05/21/a",
    "https://www.thestar.com.my/news/nation/2025/05/20/b",
]
HOSTS = ["www.thestar.com.my", "thestar.com.my", "example.com", "WWW.THESTAR.COM.MY", ""]
PATHS = [
    "/aseanplus/aseanplus-news/2025/05/22/c", "/news/nation/2025/05/20/x/",
    "//aseanplus//aseanplus-news/2025/05/22/d", "/aseanplus/aseanplus-news", "", "/",
    "/aseanplus/aseanplus-news/2025/05/22/e;p",
]
TAILS = ["", "?", "#", "?utm_source=x", "#goog_rewarded", "?a=1#b"]
SCHEMES = ["https://", "http://", "HTTPS://", "https:", "ftp://", "//", ""]


def reference(links: list[str], base: str) -> list[str]:
    seen: dict[str, None] = {}
    for link in links:
        canonical = canonical_url(link, base)
        if is_site_article(canonical):
            seen.setdefault(canonical, None)
    return list(seen)


def test_cached_links_resolve_as_against_their_page() -> None:
    links = [
        f"{space}{scheme}{host}{path}{tail}"
        for scheme, host, path, tail in itertools.product(SCHEMES, HOSTS, PATHS, TAILS)
        for space in ("", " ")
    ] + ["2025/05/22/rel", "../2025/05/22/up", "https:///aseanplus/aseanplus-news/2025/05/22/f"]
    for base in BASES:
        for link in links:
            assert related_urls([link], base=base) == reference([link], base), (link, base)
        assert related_urls(links, base=base) == reference(links, base)


def test_site_path_is_urlsplits_path_of_the_canonical_url() -> None:
    odd = ["https://www.thestar.com.my/a%2db%2F%3Fc/2025/05/22/x", "https://www.thestar.com.my/a b",
           "https://www.thestar.com.my/a\tb/?q#f", "https://www.thestar.com.my:443/x",
           "https://www.thestar.com.my.example.com/x", "https://user@www.thestar.com.my/x",
           "https://www.thestar.com.my/%7Ea/~b/", "https://www.thestar.com.my"]
    links = [f"{scheme}{host}{path}{tail}"
             for scheme, host, path, tail in itertools.product(SCHEMES, HOSTS, PATHS, TAILS)]
    for link in links + odd:
        canon = canonical_url(link, BASES[0])
        expected = urlsplit(canon).path if canon.startswith(SITE_ORIGIN + "/") else None
        assert site_path(canon) == expected, link
