"""The ``newscrawl`` command line as a user meets it: help, version, usage errors (exit 64, one
line, nothing created), and the data directory taken alike by every command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newscrawl import __version__
from newscrawl.cli import main
from newscrawl.cli_parser import EX_USAGE
from newscrawl.runner.exit_codes import ExitCode
from newscrawl.state.sqlite_store import SqliteStateStore


def exit_code(argv: list[str]) -> int:
    """``main``'s return value, or the code argparse exits with."""
    try:
        return main(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)


def test_help_reads_as_a_users_help() -> None:
    process = subprocess.run([sys.executable, "-m", "newscrawl.cli", "--help"],
                             capture_output=True, text=True, check=True)
    first, *_ = [line for line in process.stdout.splitlines()[1:] if line.strip()]
    assert first == "Keep a clean, current dataset of The Star's Aseanplus News section."
    assert "``" not in process.stdout  # no developer docstring
    for command in ("newscrawl run --base-url", "newscrawl parse URL|FILE", "exit codes:",
                    f"{EX_USAGE} usage error"):
        assert command in process.stdout


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"newscrawl {__version__}"


def test_usage_code_is_none_of_the_run_outcomes() -> None:
    assert EX_USAGE not in {int(code) for code in ExitCode}


@pytest.mark.parametrize("value", ["abc", "nan", "0", "-5", "inf"])
def test_a_bad_max_run_time_is_a_usage_error(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert exit_code(["run", "--max-run-time", value]) == EX_USAGE
    err = capsys.readouterr().err
    assert f"--max-run-time: {value!r} is not a number of seconds" in err
    assert not Path("data").exists()  # nothing started, nothing created


@pytest.mark.parametrize(("argv", "said"), [
    (["--since", "2026-13-45"], "since='2026-13-45' is not a valid date: month must be in 1..12"),
    (["--since", "yesterday"], "since='yesterday' is not a date in the form YYYY-MM-DD"),
    (["--max-articles", "0"], "max_articles='0' is not a whole number of at least 1"),
    (["--render", "sometimes"], "render='sometimes' is not one of"),
    (["-s", "LOG_LEVEL"], "-s 'LOG_LEVEL' is not NAME=VALUE"),
    (["--section", "news/sports"], "section='news/sports': unknown section 'news/sports' "
                                   "(known: aseanplus/aseanplus-news, news/nation"),
])
def test_bad_run_options_are_usage_errors_in_one_line(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert exit_code(["run", *argv]) == EX_USAGE
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"newscrawl run: error: {said}")
    assert len(err.splitlines()) == 1
    assert not Path("data").exists()


def test_an_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code(["run", "--max-runtime", "5"]) == EX_USAGE
    assert "unrecognized arguments: --max-runtime" in capsys.readouterr().err


def test_dataset_build_refuses_a_missing_data_dir_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "dta"
    assert exit_code(["dataset", "build", "--data-dir", str(typo)]) == EX_USAGE
    assert capsys.readouterr().err.strip() == (
        f"newscrawl dataset build: error: --data-dir: no data directory {str(typo)!r}"
    )
    assert not typo.exists()

    # No option and no crawl yet: not a usage error, but nothing to build either.
    assert exit_code(["dataset", "build"]) == 1
    assert "no crawl has run yet?" in capsys.readouterr().err
    assert not Path("data").exists()


def test_state_stats_takes_the_data_dir_like_run_and_dataset_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    store = SqliteStateStore(data_dir / "state.sqlite")
    store.begin_run("r1", "2026-11-27T00:00:00+00:00")
    store.close()
    assert exit_code(["state", "stats", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert f"state file       {data_dir / 'state.sqlite'}" in out
    assert "runs             1" in out

    missing = tmp_path / "other"
    assert exit_code(["state", "stats", "--data-dir", str(missing)]) == 0
    assert f"No state file at {missing / 'state.sqlite'}" in capsys.readouterr().out
    assert not missing.exists()


def test_state_reset_takes_the_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    store = SqliteStateStore(data_dir / "state.sqlite")
    store.begin_run("r1", "2026-11-27T00:00:00+00:00")
    store.finish_run("r1", "2026-11-27T01:00:00+00:00", "ok")
    store.close()
    assert exit_code(["state", "reset", "--yes", "--data-dir", str(data_dir)]) == 0
    store = SqliteStateStore(data_dir / "state.sqlite")
    assert store.stats().runs == 0
    store.close()
