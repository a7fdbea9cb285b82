"""Project settings (all named ``NEWSCRAWL_*``), read once into a typed, validated config.

Components take a ``NewscrawlConfig`` from ``NewscrawlConfig.from_settings(crawler.settings)``
instead of reading settings by name, so a typo or a bad value fails at start with a message
that names the setting.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Protocol

from newscrawl.data_layout import DataLayout
from newscrawl.others.defaults import DEFAULT_CONFIRM_PAGES, DEFAULT_SAMPLE_EVERY

# Where a crawl's data lives unless NEWSCRAWL_DATA_DIR (or a command's --data-dir) says otherwise:
# the one definition that the settings, the feeds and every command's help read.
DEFAULT_DATA_DIR: Final = "data/aseanplus"
# More reading processes than a machine has cores only take turns; this bounds a typo.
MAX_READ_PROCESSES: Final = 64


class SettingsLike(Protocol):
    def get(self, name: str, default: Any = None) -> Any: ...


class ConfigError(ValueError):
    """A ``NEWSCRAWL_*`` setting with a value the project cannot use."""


@dataclass(frozen=True, slots=True)
class NewscrawlConfig:
    data_dir: Path
    state_path: Path
    revisit_days: float
    near_duplicate_threshold: float
    minhash_permutations: int
    max_render_pages: int
    browser_path: str | None
    run_id: str | None
    min_authors_coverage: float
    min_agency_coverage: float
    max_fallback_share: float
    max_error_rate: float
    # Where StatsDumpExtension writes the final crawl stats as JSON (None: not written).
    stats_path: Path | None = None
    # Extra Chromium flags, e.g. tests pin DNS to loopback; a string is split like a shell.
    browser_args: tuple[str, ...] = ()
    # Operations (monitors, run control). Each default here is also the unset setting's
    # (``_default``), and keeps a bare NewscrawlConfig usable in tests.
    monitor_results_path: Path = DataLayout(Path(DEFAULT_DATA_DIR)).monitor_results
    max_retry_rate: float = 0.2
    max_boilerplate_share: float = 0.0
    min_listing_coverage: float = 0.8
    drift_window: int = 5
    max_drift_drop: float = 0.5
    progress_interval: float = 0.0
    # Stored stories published this many days before now are near-duplicate candidates.
    near_duplicate_window_days: float = 30.0
    # "Now" for the revisit window (NEWSCRAWL_NOW): the real clock unless a test or a replay
    # pins it, because the replica's stories are dated in the past.
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    # True when NEWSCRAWL_NOW set ``now``: then it is also the validator's clock for every
    # record; otherwise each record is judged against the time it was read.
    now_pinned: bool = False
    # Pending stories (newscrawl.state.pending): failed runs before a story is given up, and
    # how many stories a run may leave pending, all new this run, and still be healthy.
    pending_give_up_runs: int = 5
    max_new_pending: int = 10
    # Freeze start-up objects out of the garbage collector's walks (GcTuningExtension).
    gc_freeze: bool = True
    # The longest a host's Retry-After (429/503) is honoured; a longer ask waits this long.
    retry_after_max: float = 120.0
    # NEWSCRAWL_STATE as a URL (redis://…): the shared store of a distributed crawl.
    state_url: str | None = None
    # Hosts the browser's scripts/XHR/fetch may reach (empty: any but known ad/analytics
    # hosts) and hosts it must never reach (see newscrawl.browser_policy).
    browser_allow_hosts: tuple[str, ...] = ()
    browser_deny_hosts: tuple[str, ...] = ()
    # "Others Also Read" without the browser (newscrawl.others): learn where the list comes
    # from, then render one story in this many to check the rule.
    others_learn: bool = True
    others_sample_every: int = DEFAULT_SAMPLE_EVERY
    others_confirm_pages: int = DEFAULT_CONFIRM_PAGES
    # Processes that read story pages beside the crawl's own (newscrawl.spiders.read_pool);
    # 0: read in the crawl's process.
    read_processes: int = 0

    @property
    def layout(self) -> DataLayout:
        """Where runs, quarantine, logs and the dataset live in ``data_dir``."""
        return DataLayout(self.data_dir)

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> NewscrawlConfig:
        def number(name: str, default: float, lo: float, hi: float) -> float:
            return number_setting(settings, name, default, lo, hi)

        data_dir = Path(settings.get("NEWSCRAWL_DATA_DIR") or DEFAULT_DATA_DIR)
        state = settings.get("NEWSCRAWL_STATE") or str(DataLayout(data_dir).state)
        browser = settings.get("NEWSCRAWL_BROWSER_PATH") or None
        return cls(
            data_dir=data_dir,
            state_path=Path(state),
            revisit_days=number("NEWSCRAWL_REVISIT_DAYS", 2, 0, 3650),
            near_duplicate_threshold=number("NEWSCRAWL_NEAR_DUPLICATE_THRESHOLD", 0.8, 0.0, 1.0),
            minhash_permutations=int(number("NEWSCRAWL_MINHASH_PERMUTATIONS", 128, 16, 1024)),
            max_render_pages=int(number("NEWSCRAWL_MAX_RENDER_PAGES", 4, 1, 64)),
            browser_path=str(browser) if browser else None,
            run_id=settings.get("NEWSCRAWL_RUN_ID") or None,
            min_authors_coverage=number("NEWSCRAWL_MIN_AUTHORS_COVERAGE", 0.2, 0.0, 1.0),
            min_agency_coverage=number("NEWSCRAWL_MIN_AGENCY_COVERAGE", 0.4, 0.0, 1.0),
            max_fallback_share=number("NEWSCRAWL_MAX_FALLBACK_SHARE", 0.05, 0.0, 1.0),
            max_error_rate=number("NEWSCRAWL_MAX_ERROR_RATE", 0.05, 0.0, 1.0),
            stats_path=Path(stats) if (stats := settings.get("NEWSCRAWL_STATS_PATH")) else None,
            browser_args=_arguments(settings.get("NEWSCRAWL_BROWSER_ARGS")),
            monitor_results_path=Path(
                settings.get("NEWSCRAWL_MONITOR_RESULTS") or DataLayout(data_dir).monitor_results
            ),
            max_retry_rate=number("NEWSCRAWL_MAX_RETRY_RATE", _default("max_retry_rate"), 0.0, 1.0),
            max_boilerplate_share=number(
                "NEWSCRAWL_MAX_BOILERPLATE_SHARE", _default("max_boilerplate_share"), 0.0, 1.0
            ),
            min_listing_coverage=number(
                "NEWSCRAWL_MIN_LISTING_COVERAGE", _default("min_listing_coverage"), 0.0, 1.0
            ),
            drift_window=int(number("NEWSCRAWL_DRIFT_WINDOW", _default("drift_window"), 1, 100)),
            max_drift_drop=number("NEWSCRAWL_MAX_DRIFT_DROP", _default("max_drift_drop"), 0.0, 1.0),
            progress_interval=number(
                "NEWSCRAWL_PROGRESS_INTERVAL", _default("progress_interval"), 0, 3600
            ),
            near_duplicate_window_days=number(
                "NEWSCRAWL_NEAR_DUPLICATE_WINDOW_DAYS", _default("near_duplicate_window_days"), 0,
                36500,
            ),
            now=_instant(settings.get("NEWSCRAWL_NOW")),
            now_pinned=settings.get("NEWSCRAWL_NOW") not in (None, ""),
            pending_give_up_runs=int(number(
                "NEWSCRAWL_PENDING_GIVE_UP_RUNS", _default("pending_give_up_runs"), 1, 1000
            )),
            max_new_pending=int(number(
                "NEWSCRAWL_MAX_NEW_PENDING", _default("max_new_pending"), 0, 1e9
            )),
            gc_freeze=_flag(settings.get("NEWSCRAWL_GC_FREEZE", _default("gc_freeze"))),
            retry_after_max=number(
                "NEWSCRAWL_RETRY_AFTER_MAX", _default("retry_after_max"), 0, 3600
            ),
            state_url=str(state) if "://" in str(state) else None,
            browser_allow_hosts=_hosts(settings, "NEWSCRAWL_BROWSER_ALLOW_HOSTS"),
            browser_deny_hosts=_hosts(settings, "NEWSCRAWL_BROWSER_DENY_HOSTS"),
            others_learn=_flag(settings.get("NEWSCRAWL_OTHERS_LEARN", _default("others_learn"))),
            others_sample_every=int(number(
                "NEWSCRAWL_OTHERS_SAMPLE_EVERY", _default("others_sample_every"), 1, 1_000_000
            )),
            others_confirm_pages=int(number(
                "NEWSCRAWL_OTHERS_CONFIRM_PAGES", _default("others_confirm_pages"), 1, 100
            )),
            read_processes=_whole_number(settings, "NEWSCRAWL_READ_PROCESSES",
                                         _default("read_processes"), MAX_READ_PROCESSES),
        )


def _default(name: str) -> Any:
    """A ``NewscrawlConfig`` field's default: the one value both a bare config (tests) and an
    unset setting get."""
    return NewscrawlConfig.__dataclass_fields__[name].default


def default_data_dir() -> Path:
    """NEWSCRAWL_DATA_DIR (else ``DEFAULT_DATA_DIR``), read with every other setting through
    ``NewscrawlConfig``; raises ``ConfigError`` when a ``NEWSCRAWL_*`` setting is unusable."""
    return NewscrawlConfig.from_settings(os.environ).data_dir


def number_setting(settings: SettingsLike, name: str, default: float, lo: float,
                   hi: float) -> float:
    """A number setting within ``lo..hi``, or a ConfigError naming it."""
    raw = settings.get(name, default)
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"{name}={raw!r} is not a number") from None
    if not lo <= value <= hi:
        raise ConfigError(f"{name}={value} is outside {lo}..{hi}")
    return value


def _whole_number(settings: SettingsLike, name: str, default: int, hi: int) -> int:
    """A count within ``0..hi``, or a ConfigError naming it (``1.5`` is no count)."""
    raw = settings.get(name, default)
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if not 0 <= value <= hi:
        raise ConfigError(f"{name}={value} is outside 0..{hi}")
    return value


def _flag(raw: Any) -> bool:
    return str(raw).lower() not in ("0", "false", "no", "off")


def _hosts(settings: SettingsLike, name: str) -> tuple[str, ...]:
    """A host list: a list setting, or a string of hosts split by commas or spaces."""
    raw = settings.get(name)
    if not raw:
        return ()
    items = raw.replace(",", " ").split() if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        raise ConfigError(f"{name}={raw!r} is not a list of host names")
    hosts = tuple(str(item).strip().lower().lstrip(".") for item in items if str(item).strip())
    for host in hosts:
        if "/" in host or ":" in host:
            raise ConfigError(f"{name}: {host!r} is not a host name (no scheme, port or path)")
    return hosts


def _instant(raw: Any) -> datetime:
    """NEWSCRAWL_NOW: an ISO 8601 date or datetime (no offset means UTC); unset, the clock."""
    if raw is None or raw == "":
        return datetime.now(UTC)
    if isinstance(raw, datetime):
        value = raw
    else:
        try:
            value = datetime.fromisoformat(str(raw).strip())
        except ValueError:
            raise ConfigError(
                f"NEWSCRAWL_NOW={raw!r} is not an ISO 8601 datetime such as "
                "2026-02-22T12:00:00+08:00"
            ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _arguments(raw: Any) -> tuple[str, ...]:
    """A list setting whose items may hold commas (Chromium flags do), so no comma splitting."""
    if not raw:
        return ()
    if isinstance(raw, str):
        return tuple(shlex.split(raw))
    if isinstance(raw, list | tuple):
        return tuple(str(item) for item in raw)
    raise ConfigError(f"NEWSCRAWL_BROWSER_ARGS={raw!r} is not a list of arguments")
