"""The replica's HTTP/1.1 server: asyncio streams, keep-alive, GET and HEAD, faults on the wire.

A minimal request parser over ``asyncio.start_server`` instead of ``http.server``: it is many
times faster, and it can misbehave on purpose (drop a connection, send half a body under a full
Content-Length), which a framework would not let it do.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from dataclasses import replace
from types import TracebackType
from typing import Final, NamedTuple, Protocol

from newscrawl.replica.faults import REDIRECT_HOST, FaultDecision, FaultPlan
from newscrawl.replica.others_service import SERVICE_DELAY_S, ServiceRouter
from newscrawl.replica.others_source import OthersDelivery, OthersSource
from newscrawl.replica.router import (
    PDF_BODY,
    SERVER_ERROR,
    Response,
    SiteRouter,
    html,
    redirect,
)
from newscrawl.replica.site import SECTION_PATH, Site

MAX_HEAD: Final = 64 * 1024
IDLE_TIMEOUT: Final = 60.0
BAD_REQUEST: Final = Response(400, "text/plain; charset=utf-8", b"bad request\n")
NOT_ALLOWED: Final = Response(405, "text/plain; charset=utf-8", b"method not allowed\n",
                              (("Allow", "GET, HEAD"),))


class ThrottledRetry(NamedTuple):
    """A 429 the replica sent and the next request for the same target: how long after."""

    target: str
    asked: float  # the Retry-After it sent, in seconds
    gap: float  # from just before the 429 was written to the next request's arrival


class Router(Protocol):
    def resolve(self, target: str, *, drifted: bool = False) -> Response: ...

    def set_others(self, delivery: OthersDelivery) -> None: ...


class ReplicaServer:
    """The replica site over HTTP, run in a background thread; use as a context manager.

    ``faults`` may be replaced while the server runs (``server.faults = FaultPlan(...)``), and
    so may ``others_revision`` (the site moves its "Others Also Read" endpoint). With
    ``others_source="remote"`` a second server on another port (``service``) plays the
    recommendation service; faults apply to it too.
    """

    def __init__(self, site: Site, faults: FaultPlan | None = None, host: str = "127.0.0.1",
                 port: int = 0, *, others_source: OthersSource = "api",
                 router: Router | None = None, delay: float = 0.0) -> None:
        self.site = site
        self._faults = faults or FaultPlan()
        self.host = host
        self.port = port
        self.others_source: OthersSource = others_source
        self.service: ReplicaServer | None = None
        self._delivery = OthersDelivery(others_source)
        self._router: Router = router or SiteRouter(site, self._delivery)
        self._delay = delay
        self._attempts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self._oversize: dict[float, bytes] = {}
        # Targets answered 429 whose next request has not come yet: (sent at, Retry-After).
        self._throttled: dict[str, tuple[float, float]] = {}
        self._retries: list[ThrottledRetry] = []

    @property
    def faults(self) -> FaultPlan:
        return self._faults

    @faults.setter
    def faults(self, plan: FaultPlan) -> None:
        self._faults = plan
        if self.service is not None:
            self.service.faults = plan

    @property
    def others_revision(self) -> int:
        return self._delivery.revision

    @others_revision.setter
    def others_revision(self, revision: int) -> None:
        """Move the list's endpoint (paths and parameter names change; old ones answer 404)."""
        self._delivery = replace(self._delivery, revision=revision)
        self._set_delivery()

    def _set_delivery(self) -> None:
        self._router.set_others(self._delivery)
        if self.service is not None:
            self.service._router.set_others(self._delivery)

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT``: where the site is served (the port is known once started)."""
        return f"http://{self.host}:{self.port}"

    @property
    def section_url(self) -> str:
        return self.origin + SECTION_PATH

    def listing_url(self, section_path: str = SECTION_PATH) -> str:
        """The first listing page of a section the replica lists (``/news/nation``…)."""
        return self.origin + section_path

    def url(self, path: str) -> str:
        return self.origin + path

    def requests(self) -> dict[str, int]:
        """How many times each ``path?query`` was requested since start or ``reset_requests``."""
        with self._lock:
            return dict(self._attempts)

    def reset_requests(self) -> None:
        """Forget the request counts (fault attempts start again at 0)."""
        with self._lock:
            self._attempts.clear()
            self._throttled.clear()
            self._retries.clear()

    def throttled_retries(self) -> list[ThrottledRetry]:
        """Each 429 with Retry-After sent, and when the same target was asked for again (on
        one monotonic clock, so a test can check the crawler waited: slowness only adds)."""
        with self._lock:
            return list(self._retries)

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> ReplicaServer:
        if self._thread is not None:
            raise RuntimeError("the replica server is already running")
        if self.others_source == "remote" and self.service is None:
            self.service = ReplicaServer(
                self.site, self._faults, self.host, 0,
                router=ServiceRouter(self.site, self._delivery), delay=SERVICE_DELAY_S,
            ).start()
            self._delivery = replace(self._delivery, service_origin=self.service.origin)
            self._set_delivery()
        loop = asyncio.new_event_loop()
        started = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                self._server = loop.run_until_complete(
                    asyncio.start_server(self._handle, self.host, self.port, limit=MAX_HEAD,
                                         reuse_address=True)
                )
                self.port = self._server.sockets[0].getsockname()[1]
            except BaseException as exc:  # reported to the thread that called start()
                failure.append(exc)
                started.set()
                loop.close()
                return
            started.set()
            loop.run_forever()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

        self._loop = loop
        self._thread = threading.Thread(target=run, name="replica-server", daemon=True)
        self._thread.start()
        started.wait()
        if failure:
            self._thread.join()
            self._thread = None
            self._loop = None
            raise failure[0]
        return self

    def stop(self) -> None:
        """Close the listener and every open connection, then end the thread."""
        if self.service is not None:
            self.service.stop()
            self.service = None
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        future = asyncio.run_coroutine_threadsafe(self._close(), loop)
        with contextlib.suppress(Exception):
            future.result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        self._loop = None
        self._thread = None

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        for task in list(self._handlers):
            task.cancel()
        if self._handlers:
            await asyncio.gather(*self._handlers, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    # --- connections -------------------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._handlers.add(task)
        self._writers.add(writer)
        try:
            while await self._serve_one(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                asyncio.CancelledError, TimeoutError):
            pass
        finally:
            self._writers.discard(writer)
            if task is not None:
                self._handlers.discard(task)
            writer.close()

    async def _serve_one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Answer one request; False when the connection must end."""
        raw = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), IDLE_TIMEOUT)
        lines = raw.decode("latin-1").split("\r\n")
        request_line = lines[0].split(" ")
        if len(request_line) != 3 or not request_line[2].startswith("HTTP/1."):
            writer.write(BAD_REQUEST.head(False) + BAD_REQUEST.body)
            return False
        method, target, version = request_line
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        connection = headers.get("connection", "").lower()
        keep_alive = ("close" not in connection if version == "HTTP/1.1"
                      else "keep-alive" in connection)
        if "transfer-encoding" in headers:
            writer.write(BAD_REQUEST.head(False) + BAD_REQUEST.body)
            return False
        length = headers.get("content-length", "0")
        if length.isdigit() and int(length) > 0:
            await reader.readexactly(int(length))
        if method not in ("GET", "HEAD"):
            writer.write(NOT_ALLOWED.head(keep_alive) + NOT_ALLOWED.body)
            await writer.drain()
            return keep_alive
        if target.startswith(("http://", "https://")):
            target = "/" + target.split("://", 1)[1].partition("/")[2]
        return await self._respond(writer, method == "HEAD", target, keep_alive)

    async def _respond(self, writer: asyncio.StreamWriter, head_only: bool, target: str,
                       keep_alive: bool) -> bool:
        arrived = time.monotonic()
        with self._lock:
            attempt = self._attempts.get(target, 0)
            self._attempts[target] = attempt + 1
            throttled = self._throttled.pop(target, None)
            if throttled is not None:
                self._retries.append(ThrottledRetry(target, throttled[1], arrived - throttled[0]))
        plan = self.faults
        path = target.partition("?")[0]
        response = self._router.resolve(target, drifted=plan.active and plan.drifted(path))
        decision = FaultDecision(delay=self._delay)
        if plan.active and plan.hits(response.kind):
            decision = plan.decide(target, attempt)
            decision = replace(decision, delay=decision.delay + self._delay)
        if decision.delay:
            await asyncio.sleep(decision.delay)
        outcome = decision.outcome
        if outcome == "drop":
            writer.transport.abort()
            return False
        if outcome == "truncate":
            writer.write(response.head(False) + (b"" if head_only else
                                                 response.body[: len(response.body) // 2]))
            await writer.drain()
            writer.transport.abort()
            return False
        if outcome is not None:
            response = self._faulty(response, outcome, target, plan)
        if outcome == "throttle":
            # Taken before the write: the client cannot have the 429 any earlier.
            with self._lock:
                self._throttled[target] = (time.monotonic(), plan.retry_after)
        writer.write(response.head(keep_alive) if head_only
                     else response.head(keep_alive) + response.body)
        await writer.drain()
        return keep_alive

    def _faulty(self, response: Response, outcome: str, target: str, plan: FaultPlan) -> Response:
        if outcome == "error":
            return SERVER_ERROR
        if outcome == "throttle":
            return html(429, "<html><body><h1>Too Many Requests</h1></body></html>",
                        headers=(("Retry-After", str(plan.retry_after)),))
        if outcome == "redirect":
            return redirect(REDIRECT_HOST + target, 302)
        if outcome == "not-html":
            return Response(200, "application/pdf", PDF_BODY, kind=response.kind)
        # oversize: the page itself, bloated by an inline data blob as heavy pages are
        pad = self._oversize.get(plan.oversize_mb)
        if pad is None:
            chunk = b'{"slot":"inread","creative":"' + b"A" * 1000 + b'"},\n'
            count = int(plan.oversize_mb * 1024 * 1024) // len(chunk) + 1
            pad = (b'<script type="application/json" id="ad-config">['
                   + chunk * count + b"{}]</script>")
            self._oversize[plan.oversize_mb] = pad
        body = response.body.replace(b"</body>", pad + b"</body>", 1)
        return Response(response.status, response.content_type, body, response.headers,
                        response.kind)
