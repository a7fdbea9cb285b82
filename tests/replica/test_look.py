"""In a browser the replica looks like a news site: its stylesheet, logo and photos come from the
replica itself, the layout is applied, and no request leaves 127.0.0.1.

Screenshots of the listing and of the seed story are written to the test's directory (set
``NEWSCRAWL_SCREENSHOT_DIR`` to keep them somewhere else, e.g. to refresh ``docs/img``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newscrawl.replica import ReplicaServer

pytestmark = pytest.mark.browser

SEED_PATH = "/aseanplus/aseanplus-news/2025/05/23/senior-us-china-diplomats-hold-phone-call"
VIEWPORT = {"width": 1200, "height": 760}
NAVY = "rgb(10, 45, 90)"
STYLESHEETS = ("() => [...document.styleSheets].map(s => ({href: s.href, rules: "
               "s.cssRules.length}))")
BROKEN_IMAGES = ("() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
                 ".map(i => i.currentSrc || i.src)")
IMAGE_SOURCES = "sel => [...document.querySelectorAll(sel)].map(i => i.currentSrc)"


def style(page: Any, selector: str, prop: str) -> str:
    return str(page.eval_on_selector(selector, f"e => getComputedStyle(e).{prop}"))


class Visit:
    """A browser tab that records every request and every failure it sees."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport=VIEWPORT)
        self.requests: list[str] = []
        self.failures: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.on("requestfailed", lambda request: self.failures.append(request.url))
        self.context.on("response", lambda response: response.status >= 400
                        and self.failures.append(f"{response.status} {response.url}"))
        self.page = self.context.new_page()

    def open(self, url: str) -> Any:
        self.page.goto(url, wait_until="networkidle")
        return self.page


@pytest.fixture
def visit(chromium: Any) -> Iterator[Visit]:
    tab = Visit(chromium)
    try:
        yield tab
    finally:
        tab.context.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    target = Path(os.environ.get("NEWSCRAWL_SCREENSHOT_DIR") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


def assert_looks_styled(visit: Visit, page: Any, replica: ReplicaServer) -> None:
    sheets = page.evaluate(STYLESHEETS)
    assert [s["href"] for s in sheets] == [replica.url("/assets/css/main.css")]
    assert sheets[0]["rules"] > 50
    assert style(page, ".main-nav", "backgroundColor") == NAVY
    logo = page.eval_on_selector(".logo img", "i => i.naturalWidth")
    assert logo > 100
    assert page.evaluate(BROKEN_IMAGES) == []
    assert visit.failures == []
    outside = [url for url in visit.requests
               if not url.startswith(replica.origin + "/") and not url.startswith("data:")]
    assert outside == []


def test_the_listing_is_a_styled_page_of_story_cards(
    replica: ReplicaServer, visit: Visit, shots: Path,
) -> None:
    page = visit.open(replica.section_url)
    assert_looks_styled(visit, page, replica)
    assert style(page, ".list-listing", "display") == "grid"
    assert "Georgia" in style(page, ".list-listing h2.f18", "fontFamily")
    assert style(page, ".list-listing .kicker", "textTransform") == "uppercase"
    assert style(page, ".main-nav li.active a", "color") == "rgb(245, 183, 0)"
    thumbs = page.evaluate(IMAGE_SOURCES, ".list-listing img.thumb")
    assert len(thumbs) >= 5
    assert all(src.startswith(replica.url("/assets/placeholder/")) for src in thumbs)
    # The cards sit side by side: picture on the left, headline on the right.
    thumb = page.locator(".list-listing img.thumb").nth(1).bounding_box()
    headline = page.locator(".list-listing h2.f18").nth(1).bounding_box()
    assert thumb["x"] + thumb["width"] <= headline["x"]
    page.screenshot(path=str(shots / "replica-listing.png"))


def test_the_seed_story_has_a_body_column_and_a_side_rail(
    replica: ReplicaServer, visit: Visit, shots: Path,
) -> None:
    page = visit.open(replica.url(SEED_PATH))
    page.wait_for_function("document.querySelectorAll('#reco-list li').length > 0")
    assert_looks_styled(visit, page, replica)
    assert "Georgia" in style(page, ".headline h1", "fontFamily")
    assert style(page, "main.container", "display") == "grid"
    lead = page.evaluate(IMAGE_SOURCES, ".story-image img")
    assert lead == [replica.url("/assets/placeholder/2025/05/23/5512345.svg")]
    # The page still names the real image host in src: that is what the crawler records.
    assert page.get_attribute(".story-image img", "src") == (
        "https://apicms.thestar.com.my/uploads/images/2025/05/23/5512345.jpg")
    body = page.locator("#story-body").bounding_box()
    for block in (".side-stories", ".reco-stories"):
        rail = page.locator(block).bounding_box()
        assert rail["x"] >= body["x"] + body["width"], block
    page.screenshot(path=str(shots / "replica-story.png"))


def test_placeholder_photos_are_stable_per_image_id(replica: ReplicaServer, visit: Visit) -> None:
    first = visit.context.request.get(replica.url("/assets/placeholder/2025/05/23/5512345.svg"))
    again = visit.context.request.get(replica.url("/assets/placeholder/2025/05/23/5512345.svg"))
    other = visit.context.request.get(replica.url("/assets/placeholder/2025/06/12/5634118.svg"))
    assert first.status == 200
    assert first.headers["content-type"] == "image/svg+xml"
    assert first.body() == again.body() != other.body()
    for bad in ("/assets/placeholder/../../etc/passwd.svg", "/assets/css/other.css",
                "/assets/placeholder/.svg"):
        assert visit.context.request.get(replica.url(bad)).status == 404, bad
