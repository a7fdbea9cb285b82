"""The replica's own stylesheet, logo and photos, so a browser shows it as a news site.

The stylesheet and logo are files beside this module (``static/``); the photos are drawn per
image id as small SVG landscapes, the same id always giving the same picture. Pages keep the
real image host's URL in ``src`` (what the crawler records) and name the replica's copy in
``srcset``, which a browser prefers, so nothing leaves the replica's origin.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from importlib import resources
from typing import Final

from newscrawl.replica.site import PLACEHOLDER_PREFIX

CSS: Final = "text/css; charset=utf-8"
SVG: Final = "image/svg+xml"
# Request path -> (file in static/, content type).
STATIC_FILES: Final = {
    "/assets/css/main.css": ("main.css", CSS),
    "/assets/img/the-star-logo.svg": ("the-star-logo.svg", SVG),
    "/assets/img/favicon.svg": ("favicon.svg", SVG),
}
_PLACEHOLDER_RE: Final = re.compile(
    rf"^{re.escape(PLACEHOLDER_PREFIX)}(?P<id>[A-Za-z0-9_/-][A-Za-z0-9_./-]{{0,199}})\.svg$"
)
WIDTH: Final = 640
HEIGHT: Final = 360


def asset(path: str) -> tuple[str, bytes] | None:
    """``(content type, body)`` for an asset path, None when the replica has no such asset."""
    static = STATIC_FILES.get(path)
    if static is not None:
        name, content_type = static
        return content_type, _static_file(name)
    match = _PLACEHOLDER_RE.match(path)
    if match is None or ".." in match["id"]:
        return None
    return SVG, placeholder_svg(match["id"]).encode("utf-8")


@cache
def _static_file(name: str) -> bytes:
    return resources.files(__package__).joinpath("static", name).read_bytes()


def placeholder_svg(image_id: str) -> str:
    """A landscape in colours drawn from the id: sky, sun and three ridges, like a photo."""
    seed = hashlib.sha256(image_id.encode("utf-8")).digest()
    hue = seed[0] * 360 // 256
    sun_x = 80 + seed[1] * (WIDTH - 160) // 256
    sun_y = 60 + seed[2] % 80
    ridges = "".join(
        f'<path d="{_ridge(seed[3 + layer * 6: 9 + layer * 6], 150 + layer * 60)}" '
        f'fill="hsl({(hue + 150 + layer * 12) % 360},{35 - layer * 6}%,{48 - layer * 12}%)"/>'
        for layer in range(3)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}">'
        '<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">'
        f'<stop offset="0" stop-color="hsl({hue},60%,80%)"/>'
        f'<stop offset="1" stop-color="hsl({(hue + 30) % 360},55%,62%)"/>'
        "</linearGradient></defs>"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="url(#sky)"/>'
        f'<circle cx="{sun_x}" cy="{sun_y}" r="34" fill="hsl({(hue + 190) % 360},90%,88%)" '
        'opacity="0.9"/>'
        f"{ridges}"
        f'<text x="{WIDTH - 12}" y="{HEIGHT - 12}" text-anchor="end" font-family="Arial, '
        'sans-serif" font-size="13" fill="#ffffff" opacity="0.75">replica photo</text>'
        "</svg>"
    )


def _ridge(seed: bytes, base: int) -> str:
    """A closed path: a ridge line through six heights around ``base``, filled to the bottom."""
    step = WIDTH // (len(seed) - 1)
    points = " ".join(f"L{i * step},{base + value % 70 - 35}" for i, value in enumerate(seed))
    return f"M0,{HEIGHT} {points} L{WIDTH},{HEIGHT} Z"
