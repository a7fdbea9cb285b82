"""Transport and layout faults the replica injects: a typed plan parsed from ``--fault`` specs.

Every decision is a pure function of (seed, URL, attempt), so a test can predict which request
fails and check that the shares match the configured rates; a retry is a new attempt and so
gets a fresh draw, as on a flaky real server.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Final, Literal

Outcome = Literal["drop", "truncate", "error", "throttle", "redirect", "oversize", "not-html"]
# Outcomes share one draw per request on disjoint intervals, in this order, so each happens at
# exactly its configured share; their rates must add up to at most 1.
OUTCOMES: Final[tuple[Outcome, ...]] = (
    "drop", "truncate", "error", "throttle", "redirect", "oversize", "not-html",
)
KINDS: Final = (*OUTCOMES, "slow", "layout")
Scope = Literal["articles", "pages", "readmore"]
SCOPES: Final[tuple[Scope, ...]] = ("articles", "pages", "readmore")
# Which responses each scope's faults hit: an article's continuation is part of the article.
SCOPE_KINDS: Final[dict[Scope, frozenset[str]]] = {
    # "others": the list service on the second origin (--others-source remote) fails too.
    "articles": frozenset({"article", "readmore", "others"}),
    "pages": frozenset({"article", "readmore", "listing", "feed", "others"}),
    "readmore": frozenset({"readmore"}),
}
REDIRECT_HOST: Final = "https://www.thestar-mirror.invalid"

HELP: Final = (
    "KIND=RATE[:PARAM], repeatable. Kinds: error (500), slow=RATE:SECONDS, drop (connection "
    "closed without a response), truncate (body cut, full Content-Length), throttle=RATE:SECONDS "
    "(429 with Retry-After), redirect (302 to another host), oversize=RATE:MB, not-html (a PDF), "
    "layout (the body container renamed; per URL, stable across retries). RATE is a share 0..1."
)


class FaultSpecError(ValueError):
    """A ``--fault`` spec the replica cannot use."""


@dataclass(frozen=True, slots=True)
class FaultDecision:
    outcome: Outcome | None = None
    delay: float = 0.0


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """Rates of each fault; ``scope``: which responses may fail (article pages and their
    continuations, also listings and RSS, or only the continuations of long stories)."""

    rates: dict[str, float] = field(default_factory=dict)
    slow_seconds: float = 2.0
    retry_after: int = 5
    oversize_mb: float = 8.0
    seed: int = 0
    scope: Scope = "articles"

    def __post_init__(self) -> None:
        for kind, rate in self.rates.items():
            if kind not in KINDS:
                raise FaultSpecError(f"unknown fault {kind!r} (known: {', '.join(KINDS)})")
            if not 0.0 <= rate <= 1.0:
                raise FaultSpecError(f"fault {kind}: rate {rate} is outside 0..1")
        total = sum(self.rates.get(kind, 0.0) for kind in OUTCOMES)
        if total > 1.0 + 1e-9:
            raise FaultSpecError(
                f"the rates of {', '.join(OUTCOMES)} add up to {total:g}, more than 1"
            )
        if self.scope not in SCOPES:
            raise FaultSpecError(f"scope {self.scope!r} is not one of {list(SCOPES)}")

    @classmethod
    def parse(cls, specs: Iterable[str], seed: int = 0, scope: Scope = "articles") -> FaultPlan:
        """``["error=0.1", "slow=0.05:2.0", "layout=1"]`` -> a plan, or FaultSpecError."""
        plan = cls(seed=seed, scope=scope)
        for spec in specs:
            plan = plan.with_spec(spec)
        return plan

    def with_spec(self, spec: str) -> FaultPlan:
        kind, sep, value = spec.strip().partition("=")
        kind = {"500": "error", "429": "throttle", "nonhtml": "not-html"}.get(kind, kind)
        if not sep or kind not in KINDS:
            raise FaultSpecError(f"{spec!r}: expected KIND=RATE[:PARAM] with KIND one of "
                                 f"{', '.join(KINDS)}")
        rate_text, _, param_text = value.partition(":")
        rate = _number(spec, rate_text, "rate")
        changes: dict[str, float | int] = {}
        if param_text:
            param = _number(spec, param_text, "parameter")
            if param <= 0:
                raise FaultSpecError(f"{spec!r}: the parameter must be positive")
            if kind == "slow":
                changes["slow_seconds"] = param
            elif kind == "throttle":
                changes["retry_after"] = max(1, round(param))
            elif kind == "oversize":
                changes["oversize_mb"] = param
            else:
                raise FaultSpecError(f"{spec!r}: {kind} takes no parameter")
        return replace(self, rates={**self.rates, kind: rate}, **changes)  # type: ignore[arg-type]

    @property
    def active(self) -> bool:
        return any(rate > 0 for rate in self.rates.values())

    def rate(self, kind: str) -> float:
        return self.rates.get(kind, 0.0)

    def hits(self, kind: str) -> bool:
        """Whether faults may hit a response of this kind (``article``, ``readmore``…)."""
        return kind in SCOPE_KINDS[self.scope]

    def decide(self, url: str, attempt: int) -> FaultDecision:
        """What happens to the ``attempt``-th request (0-based) of ``url`` (path and query)."""
        if not self.active:
            return FaultDecision()
        draw = self._draw("outcome", url, attempt)
        outcome: Outcome | None = None
        edge = 0.0
        for kind in OUTCOMES:
            edge += self.rate(kind)
            if draw < edge:
                outcome = kind
                break
        slow = self.rate("slow") > 0 and self._draw("slow", url, attempt) < self.rate("slow")
        return FaultDecision(outcome, self.slow_seconds if slow else 0.0)

    def drifted(self, path: str) -> bool:
        """True when the article at ``path`` is served with the changed layout (every attempt)."""
        rate = self.rate("layout")
        return rate > 0 and self._draw("layout", path, 0) < rate

    def describe(self) -> str:
        if not self.active:
            return "no faults"
        parts = [f"{kind}={rate:g}" for kind, rate in sorted(self.rates.items()) if rate > 0]
        return f"faults {' '.join(parts)} (seed {self.seed}, scope {self.scope})"

    def _draw(self, salt: str, url: str, attempt: int) -> float:
        digest = hashlib.blake2b(f"{self.seed}\0{salt}\0{url}\0{attempt}".encode(),
                                 digest_size=8).digest()
        return int.from_bytes(digest, "big") / 2**64


def _number(spec: str, text: str, what: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise FaultSpecError(f"{spec!r}: the {what} {text!r} is not a number") from None
