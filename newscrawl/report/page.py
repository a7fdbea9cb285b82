"""The report as one HTML document: summary, last run, charts, quarantine, every run.

plotly.js is inlined once in the head, so the file opens offline and asks nothing of the
network; each chart is a ``div`` plus the call that draws it. Where a chart has no data the
page says why instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from html import escape
from importlib import resources
from typing import Final

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from newscrawl.report import charts
from newscrawl.report.dataset_view import DatasetView
from newscrawl.report.history import LISTED_QUARANTINE, RunHistory, RunRecord

PLOT_CONFIG: Final = {"displaylogo": False, "responsive": True}
NOT_RECORDED: Final = "not recorded"
RUNS_LISTED: Final = 200
LAST_RUN_COUNTS: Final = ("requests", "listing_pages", "listed", "read", "stories", "new",
                          "updated", "duplicates", "quarantined", "errors", "retries",
                          "fallback")
VERDICT_CLASS: Final = {"healthy": "ok", "degraded": "warn", "failed": "bad"}


def render_report(history: RunHistory, view: DatasetView, generated_at: datetime) -> str:
    drawn: list[tuple[str, str, go.Figure | None, str]] = [
        ("per-day", "Stories per day", charts.stories_per_day(view),
         view.problem or "no publication dates"),
        ("per-run", "Stories per run", charts.stories_per_run(history),
         "no run recorded any counts"),
        ("discovery", "Sources of discovery", charts.discovery_sources(view),
         view.problem or "no stories"),
        ("discovery-runs", "Sources of discovery per run", charts.discovery_per_run(history),
         "no run published a feed"),
        ("agencies", "Agencies", charts.agencies(view), view.problem or "no stories"),
        ("coverage", "Field coverage", charts.field_coverage(history),
         "no run read any story"),
        ("fallback", "Fallback share", charts.fallback_share(history),
         f"{NOT_RECORDED}: no manifest counts the stories read with the fallback extractor"),
        ("alarms", "Monitor alarms", charts.monitor_alarms(history),
         "no run recorded its monitors"),
        ("pending", "Stories pending", charts.pending_pages(history),
         f"{NOT_RECORDED}: the run manifests carry no count of pending stories"),
        ("quarantine", "Quarantined pages by reason", charts.quarantine_reasons(history),
         "no page was quarantined"),
    ]
    plotted = [figure for _, _, figure, _ in drawn if figure is not None]
    library = f"<script>{get_plotlyjs()}</script>" if plotted else ""
    figures = "\n".join(_chart(*chart) for chart in drawn)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newscrawl report: {escape(str(history.data_dir))}</title>
<style>{_style()}</style>
{library}
</head>
<body>
<header><h1>newscrawl report</h1>
<p>{escape(str(history.data_dir))} &middot; generated {generated_at:%Y-%m-%d %H:%M:%S %Z}</p>
</header>
<main>
{_cards(history, view)}
{_last_run(history.last)}
<div class="grid">
{figures}
</div>
{_quarantine_table(history)}
{_runs_table(history)}
{_problems(history, view)}
</main>
</body>
</html>
"""


@cache
def _style() -> str:
    return resources.files(__package__).joinpath("report.css").read_text(encoding="utf-8")


def _chart(name: str, title: str, figure: go.Figure | None, empty: str) -> str:
    if figure is None:
        return (f'<section class="chart chart-empty" id="chart-{name}"><h2>{escape(title)}</h2>'
                f'<p class="empty">{escape(empty)}</p></section>')
    div = figure.to_html(full_html=False, include_plotlyjs=False, config=PLOT_CONFIG,
                         div_id=f"plot-{name}")
    return f'<section class="chart" id="chart-{name}">{div}</section>'


def _card(value: str, label: str, css: str = "") -> str:
    return (f'<div class="card"><div class="value {css}">{escape(value)}</div>'
            f'<div class="label">{escape(label)}</div></div>')


def _cards(history: RunHistory, view: DatasetView) -> str:
    last = history.last
    pending = NOT_RECORDED
    if last is not None and last.pending:
        pending = ", ".join(f"{value} {name}" for name, value in sorted(last.pending.items()))
    fallback = f"{view.fallback / view.stories:.1%}" if view.stories else "–"
    cards = [
        _card(str(history.recorded), "runs recorded" if history.recorded == len(history.runs)
              else f"runs recorded (the last {len(history.runs)} drawn)"),
        _card(last.verdict.label if last else "no run yet", "last run",
              VERDICT_CLASS.get(last.verdict.label, "") if last else ""),
        _card(str(view.stories) if view.problem is None else "–", "stories in the dataset"),
        _card(fallback, "of the dataset read by the fallback extractor"),
        _card(str(last.manifest.counts.get("quarantined", 0)) if last else "–",
              "quarantined in the last run"),
        _card(pending, "pending after the last run"),
    ]
    return f'<div class="cards" id="summary">{"".join(cards)}</div><br>'


def _last_run(last: RunRecord | None) -> str:
    if last is None:
        return ('<section id="last-run"><h2>Last run</h2><p class="empty">No run recorded '
                "yet: <code>newscrawl run</code> writes a manifest under <code>runs/</code> "
                "for every run.</p></section>")
    m = last.manifest
    if last.alarms is None:
        monitors = "did not run"
    else:
        checks = len(m.monitors.outcomes) if m.monitors else 0
        monitors = f"{checks} checks, {len(last.alarms)} alarms"
    details = [
        ("run", m.run_id), ("started", _when(m.started_at)),
        ("duration", _duration(m.started_at, m.finished_at)), ("finish reason", m.finish_reason),
        ("feed", f"{m.feed.path} ({m.feed.records} records)" if m.feed else "none published"),
        ("monitors", monitors), ("code", m.code_version),
    ]
    table = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in details)
    names = [name for name in LAST_RUN_COUNTS if name in m.counts]
    counts = ('<div class="counts">' + "".join(
        f'<div><b>{m.counts[n]}</b><span>{n.replace("_", " ")}</span></div>' for n in names
    ) + "</div>" if names else '<p class="empty">no counts recorded</p>')
    reasons = "".join(f"<li>{escape(reason)}</li>" for reason in last.verdict.reasons)
    css = VERDICT_CLASS.get(last.verdict.label, "")
    return (f'<section id="last-run"><h2>Last run: <span class="{css}">'
            f"{escape(last.verdict.label)}</span></h2>"
            f'<div class="split"><table>{table}</table><div>{counts}'
            f'{f"<ul>{reasons}</ul>" if reasons else ""}</div></div></section>')


def _quarantine_table(history: RunHistory) -> str:
    """The latest quarantined pages, newest run first: what to look at next."""
    rows: list[str] = []
    total = 0
    for run in reversed(history.runs):
        total += run.manifest.quarantine.records if run.manifest.quarantine else 0
        rows += [
            f"<tr><td>{escape(run.run_id)}</td><td><code>{escape(page.url)}</code></td>"
            f"<td>{escape(page.stage)}</td><td>{escape('; '.join(page.reasons))}</td></tr>"
            for page in run.quarantined
        ]
    if not rows:
        return ""
    shown = rows[:LISTED_QUARANTINE]
    return (f'<section id="quarantined"><h2>Quarantined pages, newest first ({len(shown)} '
            f"shown of {max(total, len(rows))})</h2><table><tr><th>run</th><th>page</th>"
            f'<th>stage</th><th>reasons</th></tr>{"".join(shown)}</table></section>')


def _runs_table(history: RunHistory) -> str:
    if not history.runs:
        return ""
    columns = ("read", "stories", "new", "updated", "quarantined", "errors")
    head = "".join(f"<th>{c}</th>" for c in ("run", "started", "finish reason", "verdict",
                                              *columns, "alarms"))
    rows = []
    for run in reversed(history.runs[-RUNS_LISTED:]):
        counts = run.manifest.counts
        cells = "".join(f'<td class="num">{counts.get(c, "–")}</td>' for c in columns)
        alarms = "–" if run.alarms is None else ", ".join(a.name for a in run.alarms) or "0"
        css = VERDICT_CLASS.get(run.verdict.label, "")
        rows.append(
            f"<tr><td>{escape(run.run_id)}</td><td>{escape(_when(run.manifest.started_at))}</td>"
            f"<td>{escape(run.manifest.finish_reason)}</td>"
            f'<td class="{css}">{run.verdict.label}</td>{cells}<td>{escape(alarms)}</td></tr>'
        )
    return (f'<section id="runs"><h2>Runs, newest first</h2><table><tr>{head}</tr>'
            f'{"".join(rows)}</table></section>')


def _problems(history: RunHistory, view: DatasetView) -> str:
    found = [f"manifest not readable: {name}" for name in history.unreadable]
    found += [f"run {run.run_id}: {problem}" for run in history.runs
              for problem in run.problems]
    if view.problem:
        found.append(view.problem)
    if view.per_day.get("unknown"):
        found.append(f"{view.per_day['unknown']} stories without a readable published_at day "
                     "are left out of the stories-per-day chart")
    if view.bad_lines:
        found.append(f"{view.bad_lines} lines of {view.path.name} are not JSON records")
    if not found:
        return ""
    items = "".join(f"<li>{escape(text)}</li>" for text in found)
    return f'<section id="problems"><h2>Read with problems</h2><ul class="problems">{items}</ul>' \
           "</section>"


def _when(moment: str | None) -> str:
    try:
        return f"{datetime.fromisoformat(moment or ''):%Y-%m-%d %H:%M:%S %Z}".strip()
    except ValueError:
        return moment or "?"


def _duration(started: str | None, finished: str | None) -> str:
    parse: Callable[[str], datetime] = datetime.fromisoformat
    try:
        seconds = (parse(finished or "") - parse(started or "")).total_seconds()
    except (ValueError, TypeError):
        return "?"
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"
