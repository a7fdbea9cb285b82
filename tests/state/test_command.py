from __future__ import annotations

from pathlib import Path

import pytest

from newscrawl.cli import main
from newscrawl.runs.lock import RunLock, RunLockedError
from newscrawl.state.sqlite_store import SqliteStateStore
from newscrawl.state.store import StoredStory


def filled(path: Path, stories: int = 3) -> Path:
    store = SqliteStateStore(path)
    store.begin_run("r1", "2026-11-27T00:00:00+00:00")
    for n in range(stories):
        store.stage(
            StoredStory(
                id=f"{n:016x}",
                url=f"https://www.thestar.com.my/aseanplus/aseanplus-news/x{n}",
                content_hash="c" * 64,
                signature=None,
                signature_kind=None,
                field_digests={},
                duplicate_of=None,
                published_at=f"2026-02-1{n}T10:00:00+08:00",
                modified_at=None,
                first_seen="2026-11-27T00:00:00+00:00",
                last_seen="2026-11-27T00:00:00+00:00",
                version=1 + n,
            )
        )
    store.commit("r1", [f"{n:016x}" for n in range(stories)])
    store.finish_run("r1", "2026-11-27T01:00:00+00:00", "ok")
    store.close()
    return path


def test_stats_prints_what_the_store_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = filled(tmp_path / "state.sqlite")
    assert main(["state", "stats", "--state", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"state file       {path}" in out
    assert "stories          3" in out
    assert "revised        2 (version > 1)" in out
    assert "published        2026-02-10T10:00:00+08:00 .. 2026-02-12T10:00:00+08:00" in out
    assert "last good run    r1" in out
    assert f"newest story   {2:016x}" in out
    assert "stop points      1 sections" in out
    assert ("  aseanplus/aseanplus-news  walked to the end by run r1, finished "
            "2026-11-27T01:00:00+00:00") in out


def test_stats_says_when_no_section_has_a_stop_point(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "state.sqlite"
    store = SqliteStateStore(path)
    store.begin_run("r1", "2026-11-27T00:00:00+00:00")
    store.finish_run("r1", "2026-11-27T01:00:00+00:00", "incomplete", walked=[])
    store.close()
    assert main(["state", "stats", "--state", str(path)]) == 0
    assert "stop points      none (the next run walks each section's listing to the end)" \
        in capsys.readouterr().out


def test_stats_reads_newscrawl_state_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = filled(tmp_path / "env.sqlite", stories=1)
    monkeypatch.setenv("NEWSCRAWL_STATE", str(path))
    assert main(["state", "stats"]) == 0
    assert "stories          1" in capsys.readouterr().out


def test_stats_of_a_missing_file_says_so_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "none.sqlite"
    assert main(["state", "stats", "--state", str(path)]) == 0
    assert "No state file" in capsys.readouterr().out
    assert not path.exists()


def test_stats_of_a_corrupt_file_fails_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "state.sqlite"
    path.write_bytes(b"not sqlite" * 20)
    assert main(["state", "stats", "--state", str(path)]) == 1
    assert "not a SQLite database" in capsys.readouterr().err
    assert path.read_bytes() == b"not sqlite" * 20


@pytest.mark.parametrize("answer", ["no", "", "y"])
def test_reset_asks_and_keeps_the_store_unless_told_yes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = filled(tmp_path / "state.sqlite")
    questions: list[str] = []
    monkeypatch.setattr("builtins.input", lambda q: questions.append(q) or answer)
    assert main(["state", "reset", "--state", str(path)]) == 1
    assert "Forget 3 stories and 1 runs" in questions[0]
    assert "Not reset." in capsys.readouterr().out
    store = SqliteStateStore(path)
    assert store.stats().stories == 3
    store.close()


def test_reset_after_yes_empties_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = filled(tmp_path / "state.sqlite")
    monkeypatch.setattr("builtins.input", lambda q: "yes")
    assert main(["state", "reset", "--state", str(path)]) == 0
    store = SqliteStateStore(path)
    assert (store.stats().stories, store.stats().runs) == (0, 0)
    store.close()


def test_reset_with_yes_flag_does_not_ask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = filled(tmp_path / "state.sqlite")

    def no_questions(question: str) -> str:
        raise AssertionError(f"asked: {question}")

    monkeypatch.setattr("builtins.input", no_questions)
    assert main(["state", "reset", "--yes", "--state", str(path)]) == 0
    store = SqliteStateStore(path)
    assert store.stats().stories == 0
    store.close()


def test_reset_without_a_terminal_does_not_reset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = filled(tmp_path / "state.sqlite")

    def closed_stdin(question: str) -> str:
        raise EOFError

    monkeypatch.setattr("builtins.input", closed_stdin)
    assert main(["state", "reset", "--state", str(path)]) == 1
    store = SqliteStateStore(path)
    assert store.stats().stories == 3
    store.close()


def test_reset_during_a_run_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    path = filled(data_dir / "state.sqlite")
    monkeypatch.setenv("NEWSCRAWL_DATA_DIR", str(data_dir))
    with RunLock(data_dir / "run.lock"):  # what `newscrawl run` holds for its whole run
        assert main(["state", "reset", "--yes"]) == 3
    err = capsys.readouterr().err
    assert err.strip() == f"a run is in progress (lock {data_dir / 'run.lock'}); not reset"
    store = SqliteStateStore(path)
    assert store.stats().stories == 3
    store.close()

    assert main(["state", "reset", "--yes"]) == 0  # the run is over: reset goes ahead
    store = SqliteStateStore(path)
    assert store.stats().stories == 0
    store.close()


def test_reset_holds_the_run_lock_until_it_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    path = filled(data_dir / "state.sqlite")
    monkeypatch.setenv("NEWSCRAWL_DATA_DIR", str(data_dir))
    locked_out: list[bool] = []

    def answer(question: str) -> str:
        try:  # a cron run starting while the reset asks
            RunLock(data_dir / "run.lock").acquire()
        except RunLockedError:
            locked_out.append(True)
        return "yes"

    monkeypatch.setattr("builtins.input", answer)
    assert main(["state", "reset", "--state", str(path)]) == 0
    assert locked_out == [True]
