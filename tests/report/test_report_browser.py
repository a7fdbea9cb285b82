"""The report in Chromium: it renders from the file alone, every chart is drawn, and the page
makes no request beyond its own file (``NEWSCRAWL_SCREENSHOT_DIR`` keeps the screenshot)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from report_data import dataset, healthy_run, killed_run, story

from newscrawl.report.writer import write_report

pytestmark = pytest.mark.browser

# Parsing 4.8 MB of inlined plotly.js on a busy 2-core machine: a bound, not a timing claim.
LOAD_TIMEOUT_MS = 180_000
CHARTS = ("per-day", "per-run", "discovery", "discovery-runs", "agencies", "coverage",
          "fallback", "alarms", "pending", "quarantine")


def test_the_report_renders_offline_with_every_chart_drawn(
    tmp_path: Path, chromium: Any,
) -> None:
    data_dir = tmp_path / "data"
    healthy_run(data_dir, "20261101T000000Z", started="2026-11-01T00:00:00+00:00",
                quarantine=[{"url": "https://www.thestar.com.my/x", "stage": "parse",
                             "reasons": ["no-headline"]}])
    healthy_run(data_dir, "20261102T000000Z", started="2026-11-02T00:00:00+00:00",
                alarms=("field-coverage/authors",), extra_counts={"pending": 2})
    killed_run(data_dir, "20261103T000000Z", started="2026-11-03T00:00:00+00:00")
    dataset(data_dir, [story("2026-11-01"), story("2026-11-02", via="rss", agency="AFP")])
    path = write_report(data_dir)

    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: message.type == "error"
                and errors.append(message.text))
        page.goto(path.as_uri(), wait_until="load", timeout=LOAD_TIMEOUT_MS)
        page.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {len(CHARTS)}",
            timeout=LOAD_TIMEOUT_MS,
        )
        drawn = page.evaluate(
            "() => [...document.querySelectorAll('section.chart')].map(s => ({id: s.id, "
            "plot: !!s.querySelector('.js-plotly-plot .main-svg'), "
            "marks: s.querySelectorAll('.main-svg .trace, .main-svg .hm, .main-svg image')"
            ".length}))"
        )
        assert [d["id"] for d in drawn] == [f"chart-{name}" for name in CHARTS]
        assert all(d["plot"] and d["marks"] > 0 for d in drawn), drawn
        assert page.inner_text("#last-run h2") == "Last run: failed"
        screenshots = Path(os.environ.get("NEWSCRAWL_SCREENSHOT_DIR") or tmp_path)
        screenshots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshots / "report.png"))
    finally:
        context.close()

    assert errors == []
    assert requests == [path.as_uri()]
