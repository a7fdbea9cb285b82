"""The three ways the replica's pages deliver "Others Also Read", over HTTP."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator

import pytest
from replica_http import fetch

from newscrawl.replica import FaultPlan, ReplicaServer, synthetic_site

SITE = synthetic_site(30, seed=2)
STORY = next(a for a in SITE.in_section() if a.others_also_read)


@pytest.fixture
def remote() -> Iterator[ReplicaServer]:
    with ReplicaServer(SITE, others_source="remote") as server:
        yield server


def service_target(page: str) -> str:
    config = json.loads(re.search(r"window\.recoConfig = (\{.*?\});", page).group(1))  # type: ignore[union-attr]
    path = config["endpoint"].split("//", 1)[1].partition("/")[2]
    return (f"/{path}?site={config['siteId']}&guid={STORY.guid}"
            f"&widget=wdg-aseanplus-bottom&n={config['count']}")


def test_remote_pages_name_a_second_origin_that_serves_the_list_late_with_cors(
        remote: ReplicaServer) -> None:
    assert remote.service is not None and remote.service.port != remote.port
    page = fetch(remote, STORY.path).text
    assert f'"guid": "{STORY.guid}"' in page.replace("&quot;", '"')
    assert remote.service.origin in page
    target = service_target(page)
    started = time.monotonic()
    answer = fetch(remote.service, target)
    assert time.monotonic() - started >= 0.15  # the service answers after a delay
    assert answer.status == 200
    assert answer.headers["access-control-allow-origin"] == "*"
    docs = json.loads(answer.body)["result"]["docs"]
    assert [d["link"]["href"] for d in docs] == list(STORY.others_also_read)
    # Without the page's own values, or by URL instead of guid, the service refuses.
    assert fetch(remote.service, target.replace("thestar-my-4821", "x")).status == 400
    assert fetch(remote.service, target.replace(STORY.guid, STORY.path)).status == 404
    assert fetch(remote, f"/api/others-also-read?path={STORY.path}").status == 404


def test_faults_hit_the_service_and_a_moved_endpoint_answers_404(
        remote: ReplicaServer) -> None:
    assert remote.service is not None
    target = service_target(fetch(remote, STORY.path).text)
    remote.faults = FaultPlan.parse(["error=1"])
    assert fetch(remote.service, target).status == 500
    remote.faults = FaultPlan()
    remote.others_revision = 1
    assert fetch(remote.service, target).status == 404
    moved = fetch(remote, STORY.path).text
    assert "/reco/v2/recommendations" in moved
    assert fetch(remote.service, service_target(moved)).status == 200


def test_inline_pages_carry_the_list_and_api_pages_fetch_it() -> None:
    with ReplicaServer(SITE, others_source="inline") as inline:
        page = fetch(inline, STORY.path).text
        data = json.loads(re.search(r"window\.__RECO_STATE__ = (\{.*?\});</script>",  # type: ignore[union-attr]
                                    page).group(1))
        assert [s["url"] for s in data["stories"]] == list(STORY.others_also_read)
        assert inline.service is None
    with ReplicaServer(SITE) as api:
        assert "/api/others-also-read?path=" in fetch(api, STORY.path).text
        items = json.loads(fetch(api, f"/api/others-also-read?path={STORY.path}").body)["items"]
        assert [i["url"] for i in items] == list(STORY.others_also_read)
        api.others_revision = 1
        assert fetch(api, f"/api/others-also-read?path={STORY.path}").status == 404
        assert fetch(api, f"/api/v2/related-stories?story={STORY.path}").status == 200
