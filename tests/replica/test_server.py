"""The server's life cycle: starts on a free port, stops completely, leaves nothing behind."""

from __future__ import annotations

import http.client
import socket
import threading

import pytest
from replica_http import fetch

from newscrawl.replica import ReplicaServer, load_site, synthetic_site


def test_stop_closes_the_port_the_thread_and_open_connections() -> None:
    before = {t.name for t in threading.enumerate()}
    server = ReplicaServer(synthetic_site(20, 1)).start()
    assert server.port > 0 and server.origin == f"http://127.0.0.1:{server.port}"
    idle = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    idle.request("GET", "/robots.txt")
    assert idle.getresponse().read()
    server.stop()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
    with pytest.raises((http.client.HTTPException, OSError)):
        idle.request("GET", "/robots.txt")
        idle.getresponse()
    idle.close()
    assert {t.name for t in threading.enumerate()} <= before
    server.stop()  # a second stop is harmless


def test_two_servers_run_side_by_side() -> None:
    with ReplicaServer(load_site()) as a, ReplicaServer(synthetic_site(30, 4)) as b:
        assert a.port != b.port
        assert fetch(a, "/robots.txt").status == fetch(b, "/robots.txt").status == 200
        assert len(a.site) != len(b.site) or a.site.articles != b.site.articles


def test_a_taken_port_raises_at_start() -> None:
    with ReplicaServer(load_site()) as first, pytest.raises(OSError):
        ReplicaServer(first.site, port=first.port).start()


def test_malformed_requests_get_400() -> None:
    with ReplicaServer(synthetic_site(5, 1)) as server, socket.create_connection(
        ("127.0.0.1", server.port), timeout=5
    ) as sock:
        sock.sendall(b"NONSENSE\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 400")
