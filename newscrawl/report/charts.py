"""The report's charts, drawn by plotly from a ``RunHistory`` and a ``DatasetView``.

Each function returns a figure, or None when there is nothing to draw (the page then says
why). Runs are categories on the x axis, named by run id, oldest first: runs are irregular in
time (cron, manual, demo) and a category per run keeps each one visible.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Final

import plotly.graph_objects as go

from newscrawl.items import RECORD_FIELDS
from newscrawl.report.dataset_view import DatasetView
from newscrawl.report.history import RunHistory

HEIGHT: Final = 340
PUBLISHED: Final = (("new", "#2a7ab9"), ("updated", "#f0a202"), ("duplicates", "#9aa5b1"))
TOP_AGENCIES: Final = 15
# Fields every record has by construction: a coverage row for them says nothing.
ALWAYS_SET: Final = frozenset({"id", "url", "crawled_at", "extraction", "content_hash",
                               "version", "schema_version", "discovered_via"})


def _figure(title: str, **layout: Any) -> go.Figure:
    settings: dict[str, Any] = {
        "title": {"text": title, "x": 0, "font": {"size": 15}}, "template": "plotly_white",
        "height": HEIGHT, "margin": {"l": 50, "r": 20, "t": 50, "b": 40},
        "legend": {"orientation": "h", "y": -0.25},
    }
    return go.Figure(layout={**settings, **layout})


def stories_per_day(view: DatasetView) -> go.Figure | None:
    days = sorted(day for day in view.per_day if day != "unknown")
    if not days:
        return None
    figure = _figure("Stories in the dataset, by day published",
                     xaxis={"type": "date"}, yaxis={"title": "stories"})
    figure.add_bar(x=days, y=[view.per_day[day] for day in days], marker_color="#0a2d5a",
                   name="stories")
    return figure


def stories_per_run(history: RunHistory) -> go.Figure | None:
    runs = [run for run in history.runs if run.manifest.counts]
    if not runs:
        return None
    ids = [run.run_id for run in runs]
    figure = _figure("Stories per run: published and read", barmode="stack",
                     xaxis={"type": "category"}, yaxis={"title": "stories"})
    for name, colour in PUBLISHED:
        figure.add_bar(x=ids, y=[run.manifest.counts.get(name, 0) for run in runs], name=name,
                       marker_color=colour)
    figure.add_scatter(x=ids, y=[run.manifest.counts.get("read", 0) for run in runs],
                       name="read (incl. unchanged)", mode="lines+markers",
                       line={"color": "#c8102e"})
    return figure


def _horizontal(title: str, counts: Counter[str], colour: str) -> go.Figure | None:
    if not counts:
        return None
    rows = counts.most_common()[::-1]  # plotly draws the first row at the bottom
    figure = _figure(title, xaxis={"title": "stories"},
                     height=max(HEIGHT, 90 + 24 * len(rows)), margin={"l": 200, "t": 50})
    figure.add_bar(y=[name for name, _ in rows], x=[value for _, value in rows],
                   orientation="h", marker_color=colour, name="stories")
    return figure


def discovery_sources(view: DatasetView) -> go.Figure | None:
    return _horizontal("How the dataset's stories were found (discovered_via)",
                       view.discovered_via, "#2a7ab9")


def discovery_per_run(history: RunHistory) -> go.Figure | None:
    """Where each run found the stories it published: a source that stops working shows."""
    return _stacked_per_run(history, "Stories published per run, by how they were found",
                            "stories", [run.discovered_via for run in history.runs])


def agencies(view: DatasetView) -> go.Figure | None:
    top = Counter(dict(view.agencies.most_common(TOP_AGENCIES)))
    rest = view.stories - sum(top.values())
    if rest > 0:
        top["(other agencies)"] = rest
    return _horizontal(f"Agencies (top {TOP_AGENCIES})", top, "#f0a202")


def field_coverage(history: RunHistory) -> go.Figure | None:
    runs = [run for run in history.runs if run.manifest.coverage]
    if not runs:
        return None
    fields = [name for name in RECORD_FIELDS if name not in ALWAYS_SET]
    figure = _figure("Field coverage of the stories read, per run",
                     height=max(HEIGHT, 60 + 22 * len(fields)), margin={"l": 120, "t": 50},
                     xaxis={"type": "category"})
    figure.add_heatmap(
        x=[run.run_id for run in runs], y=fields,
        z=[[run.manifest.coverage.get(name) for run in runs] for name in fields],
        zmin=0, zmax=1, colorscale="RdYlGn", colorbar={"title": "share", "tickformat": ".0%"},
        hovertemplate="%{y} in run %{x}: %{z:.1%}<extra></extra>",
    )
    return figure


def fallback_share(history: RunHistory) -> go.Figure | None:
    runs = [run for run in history.runs if run.fallback_share is not None]
    if not runs:
        return None
    figure = _figure("Fallback share: stories read with the fallback extractor",
                     xaxis={"type": "category"},
                     yaxis={"title": "share", "tickformat": ".0%", "rangemode": "tozero"})
    figure.add_scatter(x=[run.run_id for run in runs], y=[run.fallback_share for run in runs],
                       mode="lines+markers", name="fallback share", line={"color": "#c8102e"})
    return figure


def monitor_alarms(history: RunHistory) -> go.Figure | None:
    runs = [run for run in history.runs if run.alarms is not None]
    if not runs:
        return None
    figure = _figure("Monitor alarms per run", xaxis={"type": "category"},
                     yaxis={"title": "alarms", "rangemode": "tozero", "dtick": 1})
    figure.add_bar(
        x=[run.run_id for run in runs], y=[len(run.alarms or ()) for run in runs],
        hovertext=["<br>".join(a.name for a in run.alarms or ()) or "none" for run in runs],
        marker_color=["#c8102e" if run.alarms else "#5bb974" for run in runs], name="alarms",
    )
    return figure


def pending_pages(history: RunHistory) -> go.Figure | None:
    if not history.pending_recorded:
        return None
    names = sorted({name for run in history.runs for name in run.pending})
    figure = _figure("Stories pending (seen, not yet published) after each run",
                     xaxis={"type": "category"}, yaxis={"title": "stories",
                                                        "rangemode": "tozero"})
    for name in names:
        runs = [run for run in history.runs if name in run.pending]
        figure.add_scatter(x=[run.run_id for run in runs], y=[run.pending[name] for run in runs],
                           mode="lines+markers", name=name)
    return figure


def quarantine_reasons(history: RunHistory) -> go.Figure | None:
    return _stacked_per_run(history, "Quarantined pages per run, by reason", "pages",
                            [run.quarantine_reasons for run in history.runs])


def _stacked_per_run(history: RunHistory, title: str, unit: str,
                     per_run: list[Counter[str]]) -> go.Figure | None:
    """One bar per run, stacked by category (``per_run`` is in the order of the runs)."""
    categories = sorted({name for counts in per_run for name in counts})
    if not categories:
        return None
    ids = [run.run_id for run in history.runs]
    figure = _figure(title, barmode="stack", xaxis={"type": "category"},
                     yaxis={"title": unit})
    for name in categories:
        figure.add_bar(x=ids, y=[counts.get(name, 0) for counts in per_run], name=name)
    return figure
