"""URL rules of thestar.com.my: canonical form, scope tests, and re-basing onto a replica origin.

Every link the site writes for one story (bare host, ``http://``, ``?utm_source=…``,
``#goog_rewarded``, a trailing ``/``) must map to one canonical URL, because that URL is the
story's identity: its ``id`` is derived from it and the dedupe state is keyed on it.
"""

from __future__ import annotations

import hashlib
import re
import string
import sys
from datetime import date
from functools import lru_cache
from typing import Final
from urllib.parse import urljoin, urlsplit, urlunsplit

from newscrawl.sections import DEFAULT_SECTION, LISTING_PATHS, Section

CANONICAL_SCHEME = "https"
CANONICAL_HOST = "www.thestar.com.my"
SITE_HOSTS = frozenset({"www.thestar.com.my", "thestar.com.my"})
SITE_ORIGIN = f"{CANONICAL_SCHEME}://{CANONICAL_HOST}"
_SITE_ROOT: Final = SITE_ORIGIN + "/"

# The default section's (``newscrawl.sections``), under the names a single-section crawl used.
SECTION_PATH = DEFAULT_SECTION.listing_path
SECTION_URL = SITE_ORIGIN + SECTION_PATH
SECTION_LABEL = DEFAULT_SECTION.label
RSS_PATH = DEFAULT_SECTION.rss_path

# Any dated story of the site (news/nation, business/business-news, opinion/columnists/x, …).
_ANY_ARTICLE_RE = re.compile(r"^(?:/[a-z0-9-]+)+/\d{4}/\d{2}/\d{2}/[a-z0-9][a-z0-9-]*$")
# A story URL ends in /YYYY/MM/DD/<slug>: the day it was published (site time).
_DAY_IN_PATH = re.compile(r"/(\d{4})/(\d{2})/(\d{2})/[^/]+/?$")
_ESCAPE_RE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")


def is_site_url(url: str) -> bool:
    """True for an absolute http(s) URL on one of the site's hosts."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and (parts.hostname or "") in SITE_HOSTS


# A crawl canonicalises every link of every page (Next In repeats the same ten on each story),
# so the same strings come back again and again, but only within a few pages of each other: the
# other URLs are met once or twice in a row. Replaying a 2,521-story crawl's 39,066 calls, a
# cache of 64 entries misses exactly as often (7.3 %, 2,839 distinct URLs) as one of 65,536,
# which kept every URL of the run (~0.4 KB a story, ~4 MB at 10,000 stories). Bounded small.
CANONICAL_CACHE_SIZE: Final = 1024


@lru_cache(maxsize=CANONICAL_CACHE_SIZE)
def canonical_url(url: str, base: str | None = None) -> str:
    """Canonical form of a site URL: https, www host, no query, no fragment, no trailing slash.

    ``base`` resolves a relative link first. URLs of other hosts are returned resolved but
    otherwise untouched, so callers can still count them as off-site.
    """
    absolute = urljoin(base, url.strip()) if base else url.strip()
    parts = urlsplit(absolute)
    if (parts.hostname or "") not in SITE_HOSTS:
        return absolute
    path = re.sub(r"/{2,}", "/", _normal_escapes(parts.path or "/"))
    if len(path) > 1:
        path = path.rstrip("/")
    lowered = path.lower()
    # The site's story and section paths are lowercase only, and it serves them whatever the
    # case of the link; other paths (tags, search) may mean something by their case.
    if lowered in LISTING_PATHS or _ANY_ARTICLE_RE.match(lowered):
        path = lowered
    return urlunsplit((CANONICAL_SCHEME, CANONICAL_HOST, path, "", ""))


def _normal_escapes(path: str) -> str:
    """RFC 3986 6.2.2: escapes of unreserved characters decoded (``%2D`` is ``-``), the rest
    in upper case, so that every spelling of one path is one string."""
    if "%" not in path:
        return path
    return _ESCAPE_RE.sub(_normal_escape, path)


def _normal_escape(match: re.Match[str]) -> str:
    char = chr(int(match[1], 16))
    return char if char in _UNRESERVED else "%" + match[1].upper()


def join_url(base: str, href: str) -> str | None:
    """``urljoin(base, href)``, or None for an href no URL can be made of (``http://[oops/``).

    Page links are the site's markup, not ours: readers skip such an href instead of failing.
    """
    try:
        return urljoin(base, href)
    except ValueError:
        return None


def is_parseable_url(href: str) -> bool:
    """False for an href that ``urlsplit`` rejects (an unclosed ``[`` in the host, …)."""
    # urlsplit rejects only a host with brackets it cannot read, or a non-ASCII host that
    # NFKC changes: an ASCII href without brackets (nearly every link) needs no parse.
    if href.isascii() and "[" not in href and "]" not in href:
        return True
    try:
        urlsplit(href.strip())
    except ValueError:
        return False
    return True


def link_canonical_url(href: str, base: str | None = None) -> str | None:
    """``canonical_url`` for a link read from a page: None when the href cannot be parsed.

    ``canonical_url`` itself stays strict: it is used on fetched URLs, which always parse.
    """
    try:
        return canonical_url(href, base)
    except ValueError:
        return None


def canonical_listing_url(url: str, base: str | None = None) -> str:
    """Canonical form of a listing page: like ``canonical_url`` but keeps ``pgno`` (the page)."""
    absolute = urljoin(base, url.strip()) if base else url.strip()
    parts = urlsplit(absolute)
    page = listing_page_number(absolute)
    path = canonical_url(urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")))
    return path if page == 1 else f"{path}?pgno={page}"


def listing_page_number(url: str) -> int:
    """The ``pgno`` of a listing URL (1 when absent or unreadable); parameter order is free."""
    for pair in urlsplit(url).query.split("&"):
        key, _, value = pair.partition("=")
        if key == "pgno" and value.isdigit() and int(value) > 0:
            return int(value)
    return 1


def listing_url(section: Section) -> str:
    """The canonical URL of the first page of ``section``'s listing."""
    return SITE_ORIGIN + section.listing_path


def feed_url(section: Section) -> str | None:
    """The canonical URL of ``section``'s RSS feed, if it has one."""
    return SITE_ORIGIN + section.rss_path if section.rss_path else None


def story_url_prefix(section: Section) -> str:
    """What every canonical story URL of ``section`` starts with."""
    return SITE_ORIGIN + section.listing_path + "/"


def site_path(url: str) -> str | None:
    """The path of the canonical form of ``url`` when it is on the site, else None."""
    canon = canonical_url(url)
    if not canon.startswith(_SITE_ROOT):
        return None
    # A canonical site URL is the origin and the path, nothing after: ``urlsplit(canon).path``
    # without its ~5 µs (validation asks it of every story).
    return canon[len(SITE_ORIGIN):]


def is_section_article(url: str, section: Section = DEFAULT_SECTION) -> bool:
    """True when the canonical form of ``url`` is a story URL of ``section``."""
    path = site_path(url)
    return path is not None and section.owns_path(path)


def is_site_article(url: str) -> bool:
    """True when ``url`` is a dated story anywhere on the site (in or out of the section)."""
    path = site_path(url)
    return path is not None and _ANY_ARTICLE_RE.match(path) is not None


def story_day(url: str) -> date | None:
    """The publication day written in a story URL (site time), if the URL has one."""
    match = _DAY_IN_PATH.search(urlsplit(url).path)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def foreign_base(page_url: str, base: str | None) -> bool:
    """True when a page's ``<base href>`` (``base``, None for one that is no http(s) URL) sends
    its links off the page's origin and off the site."""
    if base is None:
        return True
    if base == page_url or (is_site_url(base) and is_site_url(page_url)):
        return False
    here, there = urlsplit(page_url), urlsplit(base)
    return (here.scheme, here.netloc.lower()) != (there.scheme, there.netloc.lower())


def story_id(url: str) -> str:
    """The record ``id``: first 16 hex digits of sha256 of the canonical URL.

    Interned: a run keeps each story's id until it ends, in several places (the pending
    stories, their outcomes, the near-duplicate index), and each call made a string of its own,
    ~130 bytes a story more than one string held by all."""
    return sys.intern(hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:16])


def rebase(url: str, origin: str | None) -> str:
    """Point a site URL at ``origin`` (a replica such as ``http://127.0.0.1:8080``).

    The path and query are kept (a listing's ``pgno`` matters); the fragment is dropped. With
    no origin, or for a URL of another host, the URL is returned as it is.
    """
    if not origin or not is_site_url(url):
        return url
    parts = urlsplit(url)
    target = urlsplit(origin)
    return urlunsplit((target.scheme, target.netloc, parts.path or "/", parts.query, ""))


def unbase(url: str, origin: str | None) -> str:
    """Inverse of ``rebase``: a URL fetched from ``origin`` back on the real site's origin."""
    if not origin:
        return url
    parts = urlsplit(url)
    target = urlsplit(origin)
    if (parts.scheme, parts.netloc) != (target.scheme, target.netloc):
        return url
    return urlunsplit((CANONICAL_SCHEME, CANONICAL_HOST, parts.path, parts.query, parts.fragment))
