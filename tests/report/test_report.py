"""``newscrawl report``: what it reads from a data directory and what it says when data is
missing, failed or malformed (a clear message, never a crash)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from report_data import dataset, healthy_run, killed_run, story

from newscrawl.cli import main
from newscrawl.cli_parser import EX_USAGE
from newscrawl.report import charts
from newscrawl.report import history as history_module
from newscrawl.report.dataset_view import NO_AGENCY, DatasetView
from newscrawl.report.history import RunHistory
from newscrawl.report.writer import write_report

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
PLOTLY_CALL = "Plotly.newPlot"


def report(data_dir: Path) -> str:
    return write_report(data_dir, now=NOW).read_text(encoding="utf-8")


def chart_section(html: str, name: str) -> str:
    start = html.index(f'id="chart-{name}"')
    return html[start:html.index("</section>", start)]


def test_a_data_dir_with_no_runs_gets_a_report_that_says_so(tmp_path: Path) -> None:
    html = report(tmp_path)

    assert (tmp_path / "report.html").is_file()
    assert "No run recorded yet" in html
    assert "no dataset yet" in html
    assert "not recorded: the run manifests carry no count of pending stories" in html
    # Nothing to draw: no chart and no plotting library in the file.
    assert PLOTLY_CALL not in html
    assert html.count("chart-empty") == 10


def test_a_missing_data_dir_is_refused_and_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    missing = tmp_path / "typo"
    assert main(["report", "--data-dir", str(missing)]) == EX_USAGE
    assert f"--data-dir: no data directory '{missing}'" in capsys.readouterr().err
    assert not missing.exists()


def test_the_command_writes_where_asked_and_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    healthy_run(tmp_path, "20261101T000000Z", started="2026-11-01T00:00:00+00:00")
    target = tmp_path / "out" / "r.html"
    assert main(["report", "--data-dir", str(tmp_path), "-o", str(target)]) == 0
    assert capsys.readouterr().out.strip() == f"report: {target}"
    assert "20261101T000000Z" in target.read_text(encoding="utf-8")


def test_failed_partial_and_unreadable_runs_are_shown_not_fatal(tmp_path: Path) -> None:
    healthy_run(tmp_path, "20261101T000000Z", started="2026-11-01T00:00:00+00:00")
    killed_run(tmp_path, "20261102T000000Z", started="2026-11-02T00:00:00+00:00")
    runs = tmp_path / "runs"
    # A manifest with nothing but its id, and one that is not JSON at all.
    (runs / "20261103T000000Z.manifest.json").write_text('{"run_id": "20261103T000000Z"}')
    (runs / "20261104T000000Z.manifest.json").write_text("{not json")

    history = RunHistory.load(tmp_path)
    assert [run.run_id for run in history.runs] == [
        "20261103T000000Z", "20261101T000000Z", "20261102T000000Z"]  # no start time sorts first
    assert history.unreadable == ("runs/20261104T000000Z.manifest.json",)
    html = report(tmp_path)

    assert 'Last run: <span class="bad">failed</span>' in html
    assert "killed by SIGKILL" in html
    assert "monitors</th><td>did not run" in html
    assert "manifest not readable: runs/20261104T000000Z.manifest.json" in html
    assert html.count('<td class="bad">failed</td>') == 2  # the killed run and the empty one
    assert '<td class="ok">healthy</td>' in html
    # The runs that recorded counts are drawn; the failed ones are gaps, not errors.
    assert PLOTLY_CALL in chart_section(html, "per-run")
    assert PLOTLY_CALL in chart_section(html, "coverage")


def test_pending_stories_are_shown_only_when_a_manifest_counts_them(tmp_path: Path) -> None:
    healthy_run(tmp_path, "20261101T000000Z", started="2026-11-01T00:00:00+00:00")
    assert "not recorded" in chart_section(report(tmp_path), "pending")

    healthy_run(tmp_path, "20261102T000000Z", started="2026-11-02T00:00:00+00:00",
                extra_counts={"pending": 4, "given_up": 1})
    html = report(tmp_path)
    assert PLOTLY_CALL in chart_section(html, "pending")
    assert "1 given_up, 4 pending" in html
    figure = charts.pending_pages(RunHistory.load(tmp_path))
    assert figure is not None
    assert {trace.name: list(trace.y) for trace in figure.data} == {"given_up": [1],
                                                                    "pending": [4]}


def test_quarantined_pages_are_listed_with_their_reasons(tmp_path: Path) -> None:
    pages = [
        {"url": "https://www.thestar.com.my/a", "stage": "validate",
         "reasons": ["date-in-future: published_at=2099-01-01", "empty-body"]},
        {"url": "https://www.thestar.com.my/b", "stage": "parse", "reasons": ["no-headline"]},
        {"url": "https://www.thestar.com.my/c", "stage": "validate",
         "reasons": ["date-in-future: published_at=2098-01-01"]},
    ]
    healthy_run(tmp_path, "20261101T000000Z", started="2026-11-01T00:00:00+00:00",
                quarantine=pages)
    with (tmp_path / "quarantine" / "20261101T000000Z.jsonl").open("a") as file:
        file.write("\n[truncated\n")

    [run] = RunHistory.load(tmp_path).runs
    assert dict(run.quarantine_reasons) == {"date-in-future": 2, "empty-body": 1,
                                            "no-headline": 1}
    html = report(tmp_path)
    assert "date-in-future: published_at=2099-01-01; empty-body" in html
    assert "<code>https://www.thestar.com.my/b</code>" in html
    assert "../quarantine/20261101T000000Z.jsonl line 5 is not JSON" in html
    assert PLOTLY_CALL in chart_section(html, "quarantine")


def test_the_dataset_is_counted_by_day_source_and_agency(tmp_path: Path) -> None:
    dataset(tmp_path, [
        story("2026-11-01"), story("2026-11-01", via="rss", agency="AFP"),
        story("2026-11-02", via="next_in", agency=None, extraction="fallback"),
        {**story("2026-11-03"), "published_at": "yesterday", "agency": None},
    ], "not json", json.dumps(["a list"]))

    view = DatasetView.load(tmp_path)
    assert (view.stories, view.bad_lines, view.fallback) == (4, 2, 1)
    assert dict(view.per_day) == {"2026-11-01": 2, "2026-11-02": 1, "unknown": 1}
    assert dict(view.discovered_via) == {"listing": 2, "rss": 1, "next_in": 1}
    assert dict(view.agencies) == {"Reuters": 1, "AFP": 1, NO_AGENCY: 2}
    per_day = charts.stories_per_day(view)
    assert per_day is not None
    assert list(per_day.data[0].x) == ["2026-11-01", "2026-11-02"]  # "unknown" is no day
    html = report(tmp_path)
    assert "2 lines of dataset.jsonl are not JSON records" in html
    assert "1 stories without a readable published_at day" in html
    assert '<div class="value ">25.0%</div>' in html  # fallback share of the dataset
    for name in ("per-day", "discovery", "agencies"):
        assert PLOTLY_CALL in chart_section(html, name), name


def test_fallback_share_and_alarms_follow_the_runs(tmp_path: Path) -> None:
    healthy_run(tmp_path, "20261101T000000Z", started="2026-11-01T00:00:00+00:00", read=10)
    healthy_run(tmp_path, "20261102T000000Z", started="2026-11-02T00:00:00+00:00", read=4,
                alarms=("extraction/fallback-share", "field-coverage/authors"))
    killed_run(tmp_path, "20261103T000000Z", started="2026-11-03T00:00:00+00:00")
    history = RunHistory.load(tmp_path)

    fallback = charts.fallback_share(history)
    alarms = charts.monitor_alarms(history)
    assert fallback is not None
    assert alarms is not None
    assert list(fallback.data[0].y) == [0.1, 0.25]  # the killed run read nothing: no point
    assert list(alarms.data[0].x) == ["20261101T000000Z", "20261102T000000Z"]
    assert list(alarms.data[0].y) == [0, 2]
    assert "extraction/fallback-share<br>field-coverage/authors" in alarms.data[0].hovertext


def test_each_run_counts_where_its_stories_were_found(tmp_path: Path) -> None:
    healthy_run(tmp_path, "20261101T000000Z", started="2026-11-01T00:00:00+00:00", read=5)
    healthy_run(tmp_path, "20261102T000000Z", started="2026-11-02T00:00:00+00:00", read=3)
    (tmp_path / "runs" / "20261102T000000Z.jsonl").unlink()  # removed by hand

    history = RunHistory.load(tmp_path)
    assert [dict(run.discovered_via) for run in history.runs] == [
        {"rss": 1, "listing": 4}, {}]
    figure = charts.discovery_per_run(history)
    assert figure is not None
    assert {trace.name: list(trace.y) for trace in figure.data} == {"listing": [4, 0],
                                                                    "rss": [1, 0]}
    assert "run 20261102T000000Z: 20261102T000000Z.jsonl: No such file or directory" in report(
        tmp_path)


def test_only_the_newest_runs_are_drawn_and_the_page_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(history_module, "RUNS_SHOWN", 2)
    for day in (1, 2, 3):
        healthy_run(tmp_path, f"2026110{day}T000000Z", started=f"2026-11-0{day}T00:00:00+00:00")

    history = RunHistory.load(tmp_path)
    assert [run.run_id for run in history.runs] == ["20261102T000000Z", "20261103T000000Z"]
    assert history.recorded == 3
    assert "runs recorded (the last 2 drawn)" in report(tmp_path)
