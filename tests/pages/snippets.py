"""Small hand-written article pages for the rule tests: each part can be replaced or left out."""

from __future__ import annotations

from collections.abc import Sequence

URL = "https://www.thestar.com.my/aseanplus/aseanplus-news/2025/05/23/senior-diplomats-call"

HEAD = """<title>Senior diplomats hold call | The Star</title>
<meta property="og:title" content="Senior diplomats hold call | The Star">
<meta itemprop="datePublished" content="2025-05-23 09:40:00">"""
HEADER = """<a class="kicker" data-list-type="Article" href="/aseanplus/aseanplus-news">
    Aseanplus News
</a>
<div class="headline story-pg"><h1>Senior diplomats hold call</h1></div>
<div class="credit__authors"><a href="/authors?q=A">Ann Lee</a>,
<a href="/authors?q=B">Bo Tan</a></div>
<p class="date">Friday, 23 May 2025</p><time class="timestamp">9:40 AM MYT</time>"""
PARAGRAPHS = (
    "BEIJING: Two senior diplomats held a phone call on Thursday (May 22).",
    "The call came during a thaw in the trade war.",
    "The two sides slashed tariffs earlier this month. - AFP",
)
AFTER = """<p class="whatsapp-follow">Follow us on our official WhatsApp channel
for breaking news alerts and key updates!</p>
<div class="story-tags"><a href="/tag/china">China</a> , <a href="/tag/us">US</a></div>"""
NEXT_IN = """<section class="side-stories"><h3>Next In Aseanplus News</h3><ul>
<li><a href="/aseanplus/aseanplus-news/2025/05/22/first">First</a></li>
<li><a href="https://thestar.com.my/aseanplus/aseanplus-news/2025/05/21/second/">Second</a></li>
</ul></section>"""
OTHERS = """<section class="reco-stories"><h3>Others Also Read</h3>
<ul id="reco-list"></ul></section>"""
FOOTER = """<footer><ul><li><a href="/privacy-statement">Privacy</a></li>
<li><a href="/news/nation/2025/01/01/footer-story">Footer story</a></li></ul></footer>"""


def body_div(paragraphs: Sequence[str] = PARAGRAPHS, extra: str = "",
             open_tag: str = '<div id="story-body" class="story bot-15 relative">') -> str:
    inner = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"{open_tag}\n{inner}\n{extra}\n</div>"


def article_html(*, head: str = HEAD, header: str = HEADER, body: str | None = None,
                 after: str = AFTER, next_in: str = NEXT_IN, others: str = OTHERS,
                 footer: str = FOOTER) -> str:
    """A complete page in the current layout; pass a part as "" to leave it out."""
    story = body_div() if body is None else body
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n{head}\n</head>\n"
            f"<body><main><article>{header}\n{story}\n{after}</article>\n{next_in}\n{others}"
            f"</main>\n{footer}\n</body>\n</html>\n")
