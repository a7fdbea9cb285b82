"""Faults: parsed from specs, switched at run time, and happening at the configured rates."""

from __future__ import annotations

import http.client
import math
from collections import Counter
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from replica_http import fetch

from newscrawl.replica import FaultPlan, FaultSpecError, ReplicaServer
from newscrawl.replica.faults import OUTCOMES

Factory = Callable[..., ReplicaServer]


def observe(server: ReplicaServer, target: str) -> str | None:
    """What the client saw, named as the fault outcome it is (None: a normal page)."""
    parts = urlsplit(server.origin)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.request("GET", target)
        try:
            response = conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError):
            return "drop"
        try:
            body = response.read()
        except http.client.IncompleteRead:
            return "truncate"
    finally:
        conn.close()
    kind = response.getheader("Content-Type") or ""
    if response.status == 500:
        return "error"
    if response.status == 429:
        assert response.getheader("Retry-After") == str(server.faults.retry_after)
        return "throttle"
    if response.status == 302:
        location = response.getheader("Location") or ""
        assert urlsplit(location).hostname not in (None, "127.0.0.1")
        assert urlsplit(location).path == target.partition("?")[0]
        return "redirect"
    assert response.status == 200
    if kind == "application/pdf":
        return "not-html"
    if len(body) > server.faults.oversize_mb * 1024 * 1024:
        assert body.rstrip().endswith(b"</html>") and b"<h1>" in body
        return "oversize"
    assert body.rstrip().endswith(b"</html>")
    return None


def within(count: int, n: int, rate: float) -> bool:
    """``count`` of ``n`` is a plausible draw at ``rate`` (4.5 standard deviations)."""
    return abs(count - n * rate) <= 4.5 * math.sqrt(n * rate * (1 - rate)) + 1


def test_every_outcome_happens_as_planned_and_at_its_rate(replica_factory: Factory) -> None:
    rate = 0.05
    specs = [f"{kind}={rate}" for kind in OUTCOMES if kind != "oversize"]
    plan = FaultPlan.parse([*specs, f"oversize={rate}:0.2", "slow=0.05:0.01"], seed=11)
    server = replica_factory(articles=30, faults=plan)
    target = server.site.in_section()[0].path
    n = 1200
    seen = [observe(server, target) for _ in range(n)]
    assert seen == [plan.decide(target, attempt).outcome for attempt in range(n)]
    counts = Counter(seen)
    for kind in OUTCOMES:
        assert within(counts[kind], n, rate), (kind, counts[kind])
    slowed = sum(plan.decide(target, attempt).delay > 0 for attempt in range(n))
    assert within(slowed, n, 0.05)
    assert server.requests()[target] == n


def test_rates_hold_across_many_urls(replica_factory: Factory) -> None:
    plan = FaultPlan.parse(["error=0.25"], seed=3)
    server = replica_factory(articles=600, seed=2, faults=plan)
    paths = [a.path for a in server.site.articles if a.fault is None]
    errors = sum(fetch(server, path).status == 500 for path in paths)
    assert errors == sum(plan.decide(p, 0).outcome == "error" for p in paths)
    assert within(errors, len(paths), 0.25)


def test_a_retry_is_a_new_draw(replica_factory: Factory) -> None:
    plan = FaultPlan.parse(["error=0.5"], seed=5)
    server = replica_factory(articles=50, faults=plan)
    paths = [a.path for a in server.site.articles]
    first = [fetch(server, p).status for p in paths]
    second = [fetch(server, p).status for p in paths]
    assert first != second
    assert 200 in first and 500 in first


def test_layout_drift_renames_the_body_and_sticks_to_the_url(replica_factory: Factory) -> None:
    plan = FaultPlan.parse(["layout=0.5"], seed=9)
    server = replica_factory(articles=120, faults=plan)
    drifted = 0
    stories = [a for a in server.site.articles if not a.is_gallery]
    for article in stories:
        # Either template's story container is renamed the same way.
        body = "div#story-body" if article.template == "story-page" else "div[id*=storyDiv]"
        tree = fetch(server, article.path).tree()
        again = fetch(server, article.path).tree()
        moved = not tree.cssselect(body)
        assert moved == plan.drifted(article.path) == (not again.cssselect(body))
        container = tree.cssselect("div#storyContent" if moved else body)[0]
        assert container.cssselect("p")
        drifted += moved
    assert within(drifted, len(stories), 0.5)


def test_layout_one_drifts_every_article(replica_factory: Factory) -> None:
    server = replica_factory(faults=["layout=1"])
    articles = [a for a in server.site.articles if a.fault is None and not a.is_gallery]
    for article in articles:
        tree = fetch(server, article.path).tree()
        assert not tree.cssselect("div#story-body, div[id*=storyDiv]")
        assert tree.cssselect("div#storyContent > p")


def test_faults_switch_at_run_time_and_respect_their_scope(replica_factory: Factory) -> None:
    server = replica_factory(articles=40)
    article = server.site.in_section()[0].path
    listing = "/aseanplus/aseanplus-news"
    assert fetch(server, article).status == 200
    server.faults = FaultPlan.parse(["error=1"])
    assert fetch(server, article).status == 500
    assert fetch(server, listing).status == 200
    assert fetch(server, "/robots.txt").status == 200
    server.faults = FaultPlan.parse(["error=1"], scope="pages")
    assert fetch(server, listing).status == 500
    assert fetch(server, "/rss/aseanplus").status == 500
    long_story = next(a for a in server.site.articles if a.is_long)
    readmore = f"/api/readmore/get/{long_story.guid}/"
    server.faults = FaultPlan.parse(["error=1"], scope="readmore")
    assert fetch(server, readmore).status == 500
    assert fetch(server, long_story.path).status == 200
    assert fetch(server, listing).status == 200
    server.faults = FaultPlan.parse(["error=1"])  # a continuation is part of its article
    assert fetch(server, readmore).status == 500
    assert fetch(server, "/robots.txt").status == 200
    server.faults = FaultPlan()
    assert fetch(server, article).status == 200


def test_specs_parse_with_their_parameters() -> None:
    plan = FaultPlan.parse(["error=0.1", "slow=0.05:2.5", "throttle=0.02:7", "oversize=0.01:3",
                            "layout=1", "429=0.03"], seed=4, scope="pages")
    assert plan.rate("error") == 0.1 and plan.rate("throttle") == 0.03
    assert (plan.slow_seconds, plan.retry_after, plan.oversize_mb) == (2.5, 7, 3.0)
    assert (plan.seed, plan.scope) == (4, "pages")
    assert "error=0.1" in plan.describe()
    assert not FaultPlan().active and FaultPlan().decide("/x", 0).outcome is None


@pytest.mark.parametrize(("spec", "message"), [
    ("bogus=0.1", "KIND=RATE"),
    ("error", "KIND=RATE"),
    ("error=1.5", "outside 0..1"),
    ("error=lots", "not a number"),
    ("error=0.1:3", "takes no parameter"),
    ("slow=0.1:-1", "positive"),
])
def test_bad_specs_are_clear_errors(spec: str, message: str) -> None:
    with pytest.raises(FaultSpecError, match=message):
        FaultPlan.parse([spec])


def test_outcome_rates_cannot_add_up_to_more_than_one() -> None:
    with pytest.raises(FaultSpecError, match="more than 1"):
        FaultPlan.parse(["error=0.6", "drop=0.5"])
    assert FaultPlan.parse(["error=0.6", "drop=0.4", "slow=1", "layout=1"]).active
