"""Project settings (all named ``NEWSCRAWL_*``), read once into a typed, validated config.

Components take a ``NewscrawlConfig`` from ``NewscrawlConfig.from_settings(crawler.settings)``
instead of reading settings by name, so a typo or a bad value fails at start with a message
that names the setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


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

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> NewscrawlConfig:
        def number(name: str, default: float, lo: float, hi: float) -> float:
            raw = settings.get(name, default)
            try:
                value = float(raw)
            except (TypeError, ValueError):
                raise ConfigError(f"{name}={raw!r} is not a number") from None
            if not lo <= value <= hi:
                raise ConfigError(f"{name}={value} is outside {lo}..{hi}")
            return value

        data_dir = Path(settings.get("NEWSCRAWL_DATA_DIR") or "data/aseanplus")
        state = settings.get("NEWSCRAWL_STATE") or str(data_dir / "state.sqlite")
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
        )
