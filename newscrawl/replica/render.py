"""Shared pieces of the replica's pages: the page shell, date formats, the 404 page, robots.txt.

Pure functions of the data: the same site always renders the same bytes, so tests can compare.
"""

from __future__ import annotations

import json
from datetime import datetime
from html import escape
from typing import Any, Final

from newscrawl.replica.site import MYT, SECTION_PATH, SITE_ORIGIN

# Names written out rather than strftime("%A"), which follows the process locale.
_DAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                  "Dec")

NAV_LINKS: Final = (
    ("/news/nation", "Nation"), ("/news/world", "World"), ("/business", "Business"),
    ("/sport", "Sport"), ("/aseanplus", "Aseanplus"), ("/opinion", "Opinion"),
)


def esc(text: str) -> str:
    """Escaped for an attribute value."""
    return escape(text, quote=True)


def esc_text(text: str) -> str:
    """Escaped for element content: quotes stay as published, as the site writes them."""
    return escape(text, quote=False)


def json_for_script(data: Any) -> str:
    """JSON safe inside a ``<script>`` element (``</script>`` cannot end it early)."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def local(moment: datetime) -> datetime:
    return moment.astimezone(MYT)


def machine_date(moment: datetime) -> str:
    """``2025-02-25 19:34:00``: the site's ``itemprop`` dates, local time without an offset."""
    return f"{local(moment):%Y-%m-%d %H:%M:%S}"


def iso_date(moment: datetime) -> str:
    return local(moment).isoformat()


def visible_date(moment: datetime) -> str:
    """``Saturday, 12 Oct 2024`` as in ``p.date``."""
    m = local(moment)
    return f"{_DAYS[m.weekday()]}, {m.day:02d} {_MONTHS[m.month - 1]} {m.year}"


def visible_time(moment: datetime) -> str:
    """``5:00 PM MYT`` as in ``time.timestamp``."""
    m = local(moment)
    hour = m.hour % 12 or 12
    return f"{hour}:{m.minute:02d} {'AM' if m.hour < 12 else 'PM'} MYT"


def rss_date(moment: datetime) -> str:
    """``Fri, 24 Mar 2017 15:32:08 +08:00`` (the site's offset has a colon, unlike RFC 822)."""
    m = local(moment)
    return (f"{_DAYS[m.weekday()][:3]}, {m.day:02d} {_MONTHS[m.month - 1]} {m.year} "
            f"{m:%H:%M:%S} +08:00")


def page(head: str, body: str, body_class: str, *, section_path: str | None = None) -> str:
    """The site's page shell around a page-specific head and main content; ``section_path``
    marks its section in the navigation bar."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1">
{head}
<link rel="stylesheet" href="/assets/css/main.css">
<link rel="icon" type="image/svg+xml" href="/assets/img/favicon.svg">
<script>window.dataLayer = window.dataLayer || [];</script>
</head>
<body class="{body_class}">
{site_header(section_path)}
<main class="container">
{body}
</main>
{SITE_FOOTER}
</body>
</html>
"""


def site_header(section_path: str | None) -> str:
    """Logo, search and the section bar, with the page's section marked ``active``."""
    items = []
    for href, label in NAV_LINKS:
        active = section_path is not None and (section_path + "/").startswith(href + "/")
        mark = ' class="active"' if active else ""
        items.append(f'<li{mark}><a href="{SITE_ORIGIN}{href}">{label}</a></li>')
    return f"""<header class="site-header">
  <a class="logo" href="{SITE_ORIGIN}/"><img src="/assets/img/the-star-logo.svg" alt="The Star"></a>
  <nav class="main-nav"><ul>{"".join(items)}</ul></nav>
  <form class="search" action="/search" method="get"><input name="q" type="search"></form>
</header>"""


SITE_FOOTER: Final = """<footer class="site-footer">
  <p>Copyright &copy; 1995-2025 Star Media Group Berhad (10894D)</p>
  <ul><li><a href="/privacy-statement">Privacy Statement</a></li>
  <li><a href="/terms">Terms</a></li></ul>
</footer>"""


def not_found_page(path: str) -> str:
    head = ("<title>Page Not Found | The Star</title>\n"
            '<meta name="robots" content="noindex">\n'
            '<meta name="page_type" content="error">')
    body = f"""<div class="error-page">
  <h1>Oops! Page not found.</h1>
  <p>The page you requested (<code>{esc(path)}</code>) may have been moved or removed.</p>
  <p><a href="{SITE_ORIGIN}/">Back to the home page</a> or read the latest
  <a href="{SECTION_PATH}">Aseanplus News</a>.</p>
</div>"""
    return page(head, body, "error-404")


def server_error_page() -> str:
    head = "<title>Something went wrong | The Star</title>"
    body = ('<div class="error-page"><h1>Something went wrong.</h1>'
            "<p>Please try again later.</p></div>")
    return page(head, body, "error-500")


ROBOTS_TXT: Final = """# robots.txt for www.thestar.com.my
User-agent: *
Allow: /aseanplus/
Allow: /news/
Disallow: /search
Disallow: /Search
Disallow: /preview/
Disallow: /admin/
Disallow: /*?q=

User-agent: GPTBot
Disallow: /
"""
