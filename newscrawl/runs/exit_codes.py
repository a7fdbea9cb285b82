"""The exit code of ``newscrawl run``, chosen from the run's manifest.

0 healthy, 1 failed (no usable output: crashed, killed, stopped, feed not published, the site not
reached, the state not recorded), 2 degraded
(data was published but a monitor alarmed, or the crawl had to be killed after publishing),
3 locked out (another run holds the lock; nothing was touched).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from newscrawl.runs.manifest import RunManifest


class ExitCode(IntEnum):
    HEALTHY = 0
    FAILED = 1
    DEGRADED = 2
    LOCKED = 3


@dataclass(frozen=True, slots=True)
class Verdict:
    code: ExitCode
    reasons: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.code.name.lower()


def usable_finish(reason: str) -> bool:
    """Finished, or closed by one of its own limits (CLOSESPIDER_*): the feed is whole.

    A limit still degrades the run through the finish-reason monitor; a shutdown (SIGTERM,
    Ctrl-C), a cancel or a crash does not leave a run worth calling a success.
    """
    return reason == "finished" or reason.startswith("closespider_")


def judge(manifest: RunManifest | None, *, killed_after_deadline: bool) -> Verdict:
    if manifest is None:
        return Verdict(ExitCode.FAILED, ("the crawl left no manifest",))
    if manifest.failures:
        return Verdict(ExitCode.FAILED, manifest.failures)
    if not usable_finish(manifest.finish_reason):
        return Verdict(ExitCode.FAILED, (f"the crawl ended with {manifest.finish_reason!r}",))
    stories = manifest.counts.get("stories", 0)
    if manifest.feed is None and stories > 0:
        return Verdict(ExitCode.FAILED, (f"{stories} stories but no feed was published",))
    reasons: list[str] = []
    if manifest.monitors is None:
        reasons.append("the monitors did not run")
    else:
        reasons.extend(f"monitor {alarm.name}: {alarm.reason or alarm.status}"
                       for alarm in manifest.monitors.alarms)
    if killed_after_deadline:
        reasons.append("the crawl did not exit by the maximum run time and was killed")
    return Verdict(ExitCode.DEGRADED if reasons else ExitCode.HEALTHY, tuple(reasons))
