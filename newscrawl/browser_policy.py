"""What the browser may load while it renders a story: a pure decision per request.

The browser is there for one thing, the "Others Also Read" list, whose data may come from
the page's host or from a recommendation service anywhere. So:

- scripts, XHR and fetch may go to any host (the list's script and data may live anywhere);
- images, fonts and media never load (heavy, and no list needs them), nor do pings/beacons;
- everything else (stylesheets, frames, other) only from the page's own origin;
- the main frame loads the story once: any later top-frame navigation (``location.href``,
  a form submit, a meta refresh, to any origin) is blocked, so a page cannot send the
  browser elsewhere; WebSockets and popups are blocked by ``browser_session``;
- known ad and analytics hosts (``DEFAULT_DENY_HOSTS``) are blocked whatever the type.

``NEWSCRAWL_BROWSER_DENY_HOSTS`` adds hosts to block; ``NEWSCRAWL_BROWSER_ALLOW_HOSTS``, when
set, is the only other hosts scripts/XHR/fetch may reach (and it overrides the default deny
list for the hosts it names). A host entry matches the host and its subdomains.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import urlsplit

# Ad servers, tag managers, analytics and measurement: nothing a list of stories is made of.
# Recommendation services (Cxense, Taboola, Outbrain, Piano) are NOT here: one of them may be
# where the list comes from.
DEFAULT_DENY_HOSTS: Final = (
    "doubleclick.net", "googlesyndication.com", "googleadservices.com",
    "googletagmanager.com", "googletagservices.com", "google-analytics.com",
    "adservice.google.com", "amazon-adsystem.com", "scorecardresearch.com",
    "facebook.net", "chartbeat.com", "chartbeat.net", "hotjar.com", "pixel.parsely.com",
    "adnxs.com", "criteo.com", "criteo.net", "pubmatic.com", "rubiconproject.com",
    "moatads.com", "quantserve.com",
)
HEAVY_TYPES: Final = frozenset({"image", "font", "media"})
ANY_HOST_TYPES: Final = frozenset({"script", "xhr", "fetch"})
NEVER_TYPES: Final = frozenset({"ping", "beacon", "websocket", "eventsource", "manifest"})


@dataclass(frozen=True, slots=True)
class BrowserRequest:
    """What the policy needs to know of one browser request."""

    url: str
    resource_type: str
    page_url: str  # the URL of the page the request belongs to ("about:blank" before load)
    navigation: bool = False
    main_frame: bool = True


def host_matches(host: str, entries: Iterable[str]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == entry or host.endswith("." + entry) for entry in entries)


@dataclass(frozen=True, slots=True)
class BrowserPolicy:
    allow_hosts: tuple[str, ...] = ()
    deny_hosts: tuple[str, ...] = ()

    def block_reason(self, request: BrowserRequest) -> str | None:
        """Why the request is blocked (a stat name), or None when it may go."""
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https"):
            # data: and blob: URLs load nothing from the network
            return None if parts.scheme in ("data", "blob") else "scheme"
        host = (parts.hostname or "").lower()
        if request.navigation and request.main_frame:
            return None if request.page_url in ("", "about:blank") else "navigation"
        if request.resource_type in HEAVY_TYPES:
            return "heavy"
        if request.resource_type in NEVER_TYPES:
            return "tracking"
        if host_matches(host, self.deny_hosts):
            return "denied-host"
        same_origin = _origin(request.url) == _origin(request.page_url)
        if same_origin:
            return None
        if self.allow_hosts:
            if not host_matches(host, self.allow_hosts):
                return "not-allowed-host"
        elif host_matches(host, DEFAULT_DENY_HOSTS):
            return "ad-or-analytics"
        if request.resource_type not in ANY_HOST_TYPES:
            return "other-origin"
        return None


@dataclass(eq=False)
class BrowserRequestGate:
    """``PLAYWRIGHT_ABORT_REQUEST``: applies the policy to Playwright requests, counts blocks."""

    policy: BrowserPolicy
    blocked: Counter[str] = field(default_factory=Counter)

    def __call__(self, request: Any) -> bool:
        try:
            frame = request.frame
            page_url = frame.page.url
            main_frame = frame.parent_frame is None
        except Exception:  # service-worker requests have no frame: nothing the list needs
            self.blocked["service-worker"] += 1
            return True
        reason = self.policy.block_reason(BrowserRequest(
            url=request.url, resource_type=request.resource_type, page_url=page_url,
            navigation=request.is_navigation_request(), main_frame=main_frame))
        if reason is not None:
            self.blocked[reason] += 1
        return reason is not None


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc
