"""Request-path benchmarks: the bare ceiling and the authenticated path through the gateway.

Starts its own embedded platform (temporary directory, free ports), registers and logs in a unit
through the portal to get a session, then drives wrk against ``GET /api/identity/me`` with each
forwarding transport: the default ``keepalive`` (the gateway's own client for requests without a
body), aiohttp's client and plain httpx (the platform restarted with ``GATEWAY_TRANSPORT=…``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import httpx

from deploy.local.components import free_port
from deploy.local.stack import Stack, StackConfig
from services.kernel.registry import SERVICE_NAMES

from .wrk import WrkResult, median_of, wrk

__all__ = ["bare_server", "login_cookie", "measure", "started_platform"]

Row = tuple[str, float, str]
RUNS = 3


def measure(url: str, *, connections: int, seconds: int = 5, **kwargs: object) -> WrkResult:
    wrk(url, connections=connections, seconds=1, **kwargs)  # type: ignore[arg-type]  # warm-up
    return median_of([wrk(url, connections=connections, seconds=seconds, **kwargs) for _ in range(RUNS)])  # type: ignore[arg-type]


class bare_server:  # noqa: N801 - used as a context manager like a function
    """The ceiling: bench.bare served by granian on a free port, in its own process."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> str:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "granian",
                "--interface",
                "asgi",
                "--factory",
                "--port",
                str(self.port),
                "--no-ws",
                "--log-level",
                "warning",
                "bench.bare:create_app",
            ],
        )
        url = f"http://127.0.0.1:{self.port}/ping"
        for _ in range(200):
            try:
                urllib.request.urlopen(url, timeout=1).read()
                return url
            except OSError:
                time.sleep(0.05)
        raise TimeoutError("bare server did not start")

    def __exit__(self, *_: object) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(10)


def started_platform(data_dir: Path, **extra_env: str) -> Stack:
    config = StackConfig(
        data_dir=data_dir,
        gateway_port=free_port(),
        pg_port=free_port(),
        nats_port=free_port(),
        service_ports={name: free_port() for name in SERVICE_NAMES},
        extra_env={"LOG_LEVEL": "WARNING", **extra_env},
    )
    stack = Stack(config)
    stack.start(timeout=120)
    return stack


def form_csrf(html: str) -> str:
    match = re.search(r'name="_csrf"\s+value="([^"]+)"', html)
    if not match:
        raise RuntimeError("no CSRF field in the page")
    return match.group(1)


def login_cookie(portal: str) -> str:
    """Register a unit and log in through the portal forms; returns the Cookie header value."""
    username = f"bench{uuid.uuid4().hex[:8]}"
    password = "Bench#2026pass"
    with httpx.Client(base_url=portal, follow_redirects=True, timeout=30) as client:
        page = client.get("/register").text
        client.post(
            "/register",
            data={
                "_csrf": form_csrf(page),
                "username": username,
                "password": password,
                "password_confirm": password,
                "unit_name": f"基准测试测绘院{uuid.uuid4().hex[:6]}",
                "credit_code": "91350100M000100Y43",
                "contact_name": "张三",
                "mobile": "13800138000",
            },
        )
        page = client.get("/login").text
        client.post("/login", data={"_csrf": form_csrf(page), "username": username, "password": password})
        me = client.get("/api/identity/me")
        if me.status_code != 200:
            raise RuntimeError(f"login for the benchmark failed: {me.status_code} {me.text[:200]}")
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def run() -> list[Row]:
    rows: list[Row] = []
    with bare_server() as url:
        bare = measure(url, connections=50)
    rows.append(("bare Litestar endpoint, 50 conn", bare.rps, "req/s"))
    for transport in ("keepalive", "aiohttp", "httpx"):
        with tempfile.TemporaryDirectory() as tmp:
            stack = started_platform(Path(tmp), GATEWAY_TRANSPORT=transport)
            try:
                rows.extend(_gateway_rows(stack, transport, bare.rps))
            finally:
                stack.stop()
    return rows


def _gateway_rows(stack: Stack, transport: str, ceiling: float) -> list[Row]:
    portal = stack.config.portal_url.rstrip("/")
    cookie = login_cookie(portal)
    url = f"{portal}/api/identity/me"
    many = measure(url, connections=50, headers={"Cookie": cookie})
    one = measure(url, connections=1, headers={"Cookie": cookie})
    label = f"GET /api/identity/me via gateway ({transport})"
    return [
        (f"{label}, 50 conn", many.rps, f"req/s = {many.rps / ceiling:.1%} of bare, {many.errors} errors"),
        (f"{label}, 1 conn p50", one.p50_ms, "ms"),
        (f"{label}, 1 conn p99", one.p99_ms, f"ms ({one.errors} errors)"),
    ]


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=1))
