"""Which Chromium the crawl launches, and with what: a headless shell where there is one
(a fraction of full Chromium's CPU per render), full Chromium as the fallback."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.settings import Settings

from newscrawl import rendering
from newscrawl.browser import (
    SYSTEM_CANDIDATES,
    SYSTEM_HEADLESS_SHELLS,
    find_browser,
    is_headless_shell,
    main,
)


def executable(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


@pytest.fixture
def system(tmp_path: Path) -> tuple[str, str]:
    """A system headless shell and a full Chromium, named as Debian names them."""
    return (executable(tmp_path / "usr/lib/chromium/chromium-headless-shell"),
            executable(tmp_path / "usr/lib/chromium/chromium"))


def test_the_system_headless_shell_comes_before_full_chromium(
        tmp_path: Path, system: tuple[str, str]) -> None:
    shell, full = system
    empty = tmp_path / "no-playwright"
    # In either order of the candidates: the shell is preferred, not merely listed first.
    assert find_browser(root=empty, candidates=[full, shell]) == shell
    assert find_browser(root=empty, candidates=[shell, full]) == shell


def test_full_chromium_is_the_fallback(tmp_path: Path, system: tuple[str, str]) -> None:
    shell, full = system
    Path(shell).unlink()
    assert find_browser(root=tmp_path / "no-playwright", candidates=[shell, full]) == full


def test_a_shell_that_cannot_run_is_passed_over(tmp_path: Path, system: tuple[str, str]) -> None:
    shell, full = system
    Path(shell).chmod(0o644)
    assert find_browser(root=tmp_path / "no-playwright", candidates=[shell, full]) == full


def test_no_browser_at_all(tmp_path: Path) -> None:
    assert find_browser(root=tmp_path, candidates=[str(tmp_path / "nothing")]) is None


def test_playwright_s_own_shell_first_then_the_system_shell_then_full_builds(
        tmp_path: Path, system: tuple[str, str]) -> None:
    shell, full = system
    root = tmp_path / "ms-playwright"
    own_full = executable(root / "chromium-1200/chrome-linux/chrome")
    # Playwright's full build (no shell downloaded) gives way to the system's shell ...
    assert find_browser(root=root, candidates=[full, shell]) == shell
    # ... and to Playwright's own shell, the newest one.
    executable(root / "chromium_headless_shell-1199/chrome-linux/chrome-headless-shell")
    own_shell = executable(
        root / "chromium_headless_shell-1200/chrome-linux/chrome-headless-shell")
    assert find_browser(root=root, candidates=[full, shell]) == own_shell
    # With no shell anywhere, Playwright's full build before the system's.
    for path in root.glob("chromium_headless_shell-*/chrome-linux/chrome-headless-shell"):
        path.unlink()
    Path(shell).unlink()
    assert find_browser(root=root, candidates=[full, shell]) == own_full


def test_an_explicit_path_wins_even_over_a_shell(tmp_path: Path, system: tuple[str, str]) -> None:
    shell, full = system
    assert find_browser(full, root=tmp_path, candidates=[shell]) == full
    assert find_browser(str(tmp_path / "missing"), root=tmp_path, candidates=[shell]) is None


def test_shells_are_told_apart_by_name() -> None:
    assert all(is_headless_shell(path) for path in SYSTEM_HEADLESS_SHELLS)
    assert is_headless_shell(
        "/root/.cache/ms-playwright/chromium_headless_shell-1200/chrome-linux/"
        "chrome-headless-shell")
    assert not any(is_headless_shell(path) for path in SYSTEM_CANDIDATES
                   if path not in SYSTEM_HEADLESS_SHELLS)


def test_the_check_command_can_demand_a_shell(capsys: pytest.CaptureFixture[str]) -> None:
    found = find_browser()
    assert main(["--check"]) == (0 if found else 1)
    demanded = main(["--check", "--headless-shell"])
    assert demanded == (0 if found and is_headless_shell(found) else 1)
    assert (found or "no browser found") in capsys.readouterr().out


def test_the_launch_options_carry_the_browser_and_the_flags() -> None:
    settings = Settings()
    rendering.configure(settings, enabled=True, scheme="http", executable="/opt/shell",
                        extra_args=["--lang=en-GB"], max_pages=3)
    options = settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")
    assert options["executable_path"] == "/opt/shell"
    assert options["headless"] is True
    assert options["args"] == [*rendering.BASE_BROWSER_ARGS, "--lang=en-GB"]
    assert "--disable-gpu" in options["args"]
    # Playwright's default (no executable) when none was found by name.
    assert "executable_path" not in rendering.launch_options(None)


@pytest.mark.browser
@pytest.mark.skipif(not any(Path(p).is_file() for p in SYSTEM_HEADLESS_SHELLS),
                    reason="no system headless shell (apt-get install chromium-headless-shell)")
def test_playwright_drives_the_system_headless_shell() -> None:
    from playwright.sync_api import sync_playwright

    shell = next(p for p in SYSTEM_HEADLESS_SHELLS if Path(p).is_file())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**rendering.launch_options(shell))
        try:
            page = browser.new_page()
            page.set_content("<ul id=l></ul><script>"
                             "document.getElementById('l').innerHTML='<li>filled</li>'</script>")
            assert page.inner_text("#l") == "filled"  # scripts run, as the list needs
            assert "HeadlessChrome" in page.evaluate("navigator.userAgent")
        finally:
            browser.close()
