"""How a page's "Others Also Read" list reaches the browser: three deliveries of the same list.

- ``api``: a script fetches JSON from the page's own host (``/api/others-also-read?path=…``).
- ``remote``: a script fetches the list from a second origin (a recommendation service on
  another port), keyed by the story's parse.ly ``guid``, with a site id and a widget id that
  only the page carries, after a delay (``others_service`` answers it).
- ``inline``: the list's data sits in the page in a script assignment; a script turns it into
  links.

``revision`` stands for the site changing its endpoint: each revision has other paths and
parameter names, and the old ones stop answering.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from newscrawl.replica.feed_render import link_title
from newscrawl.replica.render import esc, json_for_script
from newscrawl.replica.site import Site, SiteArticle

OthersSource = Literal["api", "remote", "inline"]
OTHERS_SOURCES: Final[tuple[OthersSource, ...]] = ("api", "remote", "inline")
DELAY_MS: Final = 300
# What the recommendation service expects besides the guid; a crawler finds them in the page.
SERVICE_SITE_ID: Final = "thestar-my-4821"
SERVICE_WIDGET: Final = "wdg-aseanplus-bottom"
SERVICE_COUNT: Final = 6

_LIST_HEAD: Final = """<section class="reco-stories">
<h3 class="reco-stories__title">Others Also Read</h3>
<ul id="reco-list"{attrs}></ul>
</section>"""
# Fills ul#reco-list from ``items`` ([{title, url}]); shared by the three deliveries.
_FILL_JS: Final = """function fillRecoList(items) {
  var list = document.getElementById("reco-list");
  items.forEach(function (item) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.setAttribute("href", item.url);
    a.textContent = item.title;
    li.appendChild(a);
    list.appendChild(li);
  });
}"""


@dataclass(frozen=True, slots=True)
class OthersDelivery:
    """How pages deliver the list; ``service_origin`` is the second origin (``remote`` only)."""

    source: OthersSource = "api"
    revision: int = 0
    service_origin: str = ""

    def api_path(self) -> str:
        return "/api/others-also-read" if self.revision % 2 == 0 else "/api/v2/related-stories"

    def api_key(self) -> str:
        return "path" if self.revision % 2 == 0 else "story"

    def service_path(self) -> str:
        return "/reco/v1/list" if self.revision % 2 == 0 else "/reco/v2/recommendations"


DEFAULT_DELIVERY: Final = OthersDelivery()


def others_block(article: SiteArticle, site: Site, delivery: OthersDelivery) -> str:
    """The "Others Also Read" section (empty in the HTML) and the script that fills it."""
    if delivery.source == "inline":
        return _inline(article, site)
    if delivery.source == "remote":
        return _remote(delivery)
    return _api(article, delivery)


def list_items(article: SiteArticle, site: Site) -> list[dict[str, str]]:
    """``[{"title", "url"}]`` of the article's list, hrefs exactly as its data writes them."""
    return [{"title": link_title(href, site), "url": href} for href in article.others_also_read]


def _api(article: SiteArticle, delivery: OthersDelivery) -> str:
    path = json_for_script(article.path)
    endpoint = json_for_script(f"{delivery.api_path()}?{delivery.api_key()}=")
    return f"""{_LIST_HEAD.format(attrs="")}
<script>
{_FILL_JS}
(function () {{
  setTimeout(function () {{
    fetch({endpoint} + encodeURIComponent({path}))
      .then(function (response) {{ return response.json(); }})
      .then(function (data) {{ fillRecoList(data.items); }});
  }}, {DELAY_MS});
}})();
</script>"""


def _remote(delivery: OthersDelivery) -> str:
    config = json_for_script({"endpoint": delivery.service_origin + delivery.service_path(),
                              "siteId": SERVICE_SITE_ID, "count": SERVICE_COUNT})
    attrs = f' data-widget="{esc(SERVICE_WIDGET)}"'
    return f"""{_LIST_HEAD.format(attrs=attrs)}
<script>window.recoConfig = {config};</script>
<script>
{_FILL_JS}
(function () {{
  var cfg = window.recoConfig;
  var meta = JSON.parse(document.querySelector('meta[name="parsely-metadata"]').content);
  var widget = document.getElementById("reco-list").getAttribute("data-widget");
  setTimeout(function () {{
    var url = cfg.endpoint + "?site=" + encodeURIComponent(cfg.siteId) + "&guid=" +
      encodeURIComponent(meta.guid) + "&widget=" + encodeURIComponent(widget) + "&n=" + cfg.count;
    fetch(url)
      .then(function (response) {{ return response.json(); }})
      .then(function (data) {{
        fillRecoList(data.result.docs.map(function (doc) {{
          return {{title: doc.headline, url: doc.link.href}};
        }}));
      }});
  }}, {DELAY_MS});
}})();
</script>"""


def _inline(article: SiteArticle, site: Site) -> str:
    data = json_for_script({"widget": "others-also-read", "stories": list_items(article, site)})
    return f"""{_LIST_HEAD.format(attrs="")}
<script>window.__RECO_STATE__ = {data};</script>
<script>
{_FILL_JS}
(function () {{
  setTimeout(function () {{ fillRecoList(window.__RECO_STATE__.stories); }}, {DELAY_MS});
}})();
</script>"""
