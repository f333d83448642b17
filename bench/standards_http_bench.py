"""POST /evaluate through HTTP at 1 connection: the standards service as its own granian process."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import msgspec

from contracts.auth import Caller
from deploy.local.components import env_with, free_port
from services.kernel import TokenSigner, generate_keypair

from .platform_bench import bare_server, measure
from .standards_bench import application

ROOT = Path(__file__).resolve().parents[1]


def _serve(port: int, public_key: str) -> subprocess.Popen[bytes]:
    env = env_with(PORT=str(port), INTERNAL_TOKEN_PUBLIC_KEY=public_key, LOG_LEVEL="WARNING")
    process = subprocess.Popen([sys.executable, "-m", "services.standards"], cwd=ROOT, env=env)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return process
        except OSError:
            time.sleep(0.05)
    process.terminate()
    raise TimeoutError("standards service did not start")


def run() -> list[tuple[str, float, str]]:
    private, public = generate_keypair()
    caller = Caller(account_id="bench", role="unit", unit_id="u1")
    token = TokenSigner(private, ttl_seconds=3600).sign(caller, audience=["standards"])
    body = msgspec.json.encode(application()).decode()
    with bare_server() as bare_url:
        bare = measure(bare_url, connections=1)
    port = free_port()
    process = _serve(port, public)
    try:
        result = measure(
            f"http://127.0.0.1:{port}/evaluate",
            connections=1,
            method="POST",
            body=body,
            headers={"content-type": "application/json", "x-internal-token": token},
        )
    finally:
        process.terminate()
        process.wait(10)
    if result.errors:  # a refusal is fast: its latency would pass for the evaluation's
        raise RuntimeError(f"POST /evaluate answered {result.errors} requests with an error")
    return [
        ("bare Litestar endpoint, 1 conn p99", bare.p99_ms, f"ms ({bare.rps:,.0f} req/s)"),
        ("POST /evaluate over HTTP, 1 conn p50", result.p50_ms, "ms"),
        (
            "POST /evaluate over HTTP, 1 conn p99",
            result.p99_ms,
            f"ms ({result.rps:,.0f} req/s, {result.errors} errors)",
        ),
    ]
