"""Upload path benchmarks: a 2 MB jpg through gateway → documents → store, on the filesystem and on
an S3 server (moto's, in its own process); downloads; the documents process's memory under a burst.

Starts its own embedded platform (temporary directory, free ports) once per store, registers and
logs in a unit through the portal, then, with a Python client (aiohttp, one process):
  * uploads: p50/p99 at 1 connection (sequential), uploads/s at 8 connections;
  * downloads of that file (wrk, 8 connections): MB/s;
  * the peak RSS growth of the documents process (its granian process tree, high-water mark
    reset first) during 16 concurrent uploads.
The ceilings of the same run: the bare Litestar endpoint (wrk, 50 connections) and a bare endpoint
that reads a 2 MB upload and answers 201, driven by the same client.
"""

from __future__ import annotations

import asyncio
import io
import json
import random
import re
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiohttp
import boto3
import psutil
from litestar import Litestar, Request, post
from PIL import Image

from deploy.local.components import free_port

from .platform_bench import bare_server, login_cookie, measure, started_platform

__all__ = ["bare_upload_app", "run"]

Row = tuple[str, float, str]
FILE_SIZE = 2_000_000
BOUNDARY = "qual-bench-boundary"
SEQUENTIAL = 150
CONCURRENT_SECONDS = 8.0
BURST = 16
ROOT = Path(__file__).resolve().parents[1]


def a_scan() -> bytes:
    """A 2,000,000-byte jpg: 1600×1200 px of noise (a scan's weight), padded with COM segments."""
    pixels = random.Random(2026).randbytes(1600 * 1200 * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (1600, 1200), pixels).save(out, "JPEG", quality=80)
    base, room = out.getvalue(), FILE_SIZE - len(out.getvalue())
    count = -(-room // 65537)
    sizes = [room // count + (1 if index < room % count else 0) for index in range(count)]
    padding = b"".join(b"\xff\xfe" + struct.pack(">H", size - 2) + b" " * (size - 4) for size in sizes)
    return base[:2] + padding + base[2:]


def form_body(data: bytes) -> bytes:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\n申请书\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="scan.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{BOUNDARY}--\r\n".encode()


@post("/upload", status_code=201)
async def _bare_upload(request: Request[Any, Any, Any]) -> dict[str, int]:
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
    return {"size": size}


def bare_upload_app() -> Litestar:
    """The ceiling of an upload: a bare Litestar endpoint that reads the body and answers 201."""
    return Litestar(route_handlers=[_bare_upload], logging_config=None, request_max_body_size=None)


@contextmanager
def _process(args: list[str], ready_url: str) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(400):
            try:
                urllib.request.urlopen(ready_url, timeout=1).read()
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                time.sleep(0.05)
        else:
            raise TimeoutError(f"{args} did not start")
        yield process
    finally:
        process.terminate()
        process.wait(10)


class Uploader:
    """A logged-in portal visitor posting one prepared multipart body."""

    def __init__(self, url: str, headers: dict[str, str], body: bytes) -> None:
        self.url, self.body = url, body
        self.headers = {**headers, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
        self.errors: dict[int, int] = {}
        self.last_id = ""

    async def once(self, session: aiohttp.ClientSession) -> float:
        started = time.perf_counter()
        async with session.post(self.url, data=self.body, headers=self.headers) as response:
            answer = await response.read()
        elapsed = time.perf_counter() - started
        if response.status != 201:
            self.errors[response.status] = self.errors.get(response.status, 0) + 1
            if len(self.errors) == 1 and sum(self.errors.values()) == 1:
                print(f"upload answered {response.status}: {answer[:300]!r}", file=sys.stderr)
        elif b'"id"' in answer:
            self.last_id = json.loads(answer)["id"]
        return elapsed

    async def sequential(self, count: int) -> list[float]:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1)) as session:
            for _ in range(5):
                await self.once(session)
            return [await self.once(session) for _ in range(count)]

    async def concurrent(self, connections: int, seconds: float) -> float:
        """Uploads per second with ``connections`` clients posting back to back."""
        done = 0
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=connections)) as session:
            deadline = time.perf_counter() + seconds

            async def worker() -> None:
                nonlocal done
                while time.perf_counter() < deadline:
                    await self.once(session)
                    done += 1

            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(connections)))
            return done / (time.perf_counter() - started)

    async def burst(self, count: int) -> None:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=count)) as session:
            await asyncio.gather(*(self.once(session) for _ in range(count)))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def _tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def _rss_growth_during(pid: int, uploader: Uploader) -> float:
    """MB the documents process tree grew at its peak during a burst (kernel high-water marks)."""
    processes = _tree(pid)
    before = {process.pid: process.memory_info().rss for process in processes}
    for process in processes:
        Path(f"/proc/{process.pid}/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    asyncio.run(uploader.burst(BURST))
    peak = 0
    for process in processes:
        status = Path(f"/proc/{process.pid}/status").read_text()
        hwm_kb = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))  # type: ignore[union-attr]
        peak += hwm_kb * 1024 - before[process.pid]
    return peak / 1e6


def page_csrf_token(portal: str, cookie: str) -> str:
    request = urllib.request.Request(portal + "/", headers={"Cookie": cookie})
    html = urllib.request.urlopen(request, timeout=10).read().decode()
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    if match is None:
        raise RuntimeError("no CSRF token in the portal page")
    return match.group(1)


def _platform_rows(label: str, data_dir: Path, env: dict[str, str], body: bytes, *, memory: bool) -> list[Row]:
    stack = started_platform(data_dir, DOCUMENTS_UNIT_QUOTA_BYTES=str(1 << 40), **env)
    try:
        portal = stack.config.portal_url.rstrip("/")
        cookie = login_cookie(portal)
        headers = {"Cookie": cookie, "X-CSRF-Token": page_csrf_token(portal, cookie)}
        uploader = Uploader(f"{portal}/api/documents/documents", headers, body)
        rows: list[Row] = []
        if memory:  # first, while the process has seen one upload only (warm, not yet grown by load)
            asyncio.run(uploader.burst(1))
            growth = _rss_growth_during(stack.processes["documents"].pid, uploader)
            rows.append((f"{label}: RSS growth, {BURST} concurrent uploads", growth, "MB (goal ≤ 64)"))
        latencies = asyncio.run(uploader.sequential(SEQUENTIAL))
        rate = asyncio.run(uploader.concurrent(8, CONCURRENT_SECONDS))
        failed = f"{sum(uploader.errors.values())} errors {uploader.errors}" if uploader.errors else "0 errors"
        rows += [
            (f"{label}: upload 2 MB jpg, 1 conn p50", percentile(latencies, 0.50), "ms"),
            (f"{label}: upload 2 MB jpg, 1 conn p99", percentile(latencies, 0.99), f"ms (goal ≤ 150; {failed})"),
            (f"{label}: upload 2 MB jpg, 8 conn", rate, "uploads/s (goal ≥ 25)"),
        ]
        if uploader.last_id:
            url = f"{portal}/api/documents/documents/{uploader.last_id}/content"
            download = measure(url, connections=8, headers={"Cookie": cookie})
            mb_s = download.rps * FILE_SIZE / 1e6
            rows.append((f"{label}: download 2 MB, 8 conn", mb_s, f"MB/s ({download.errors} errors)"))
        return rows
    finally:
        stack.stop()


def _bare_rows(body: bytes) -> list[Row]:
    rows: list[Row] = []
    with bare_server() as url:
        bare = measure(url, connections=50)
    rows.append(("bare Litestar endpoint, 50 conn", bare.rps, "req/s"))
    port = free_port()
    target = "bench.documents_bench:bare_upload_app"
    args = [sys.executable, "-m", "granian", "--interface", "asgi", "--factory", "--port", str(port), "--no-ws"]
    with _process([*args, "--log-level", "warning", target], f"http://127.0.0.1:{port}/upload"):
        uploader = Uploader(f"http://127.0.0.1:{port}/upload", {}, body)
        latencies = asyncio.run(uploader.sequential(SEQUENTIAL))
        rate = asyncio.run(uploader.concurrent(8, CONCURRENT_SECONDS))
    rows += [
        ("bare upload endpoint (2 MB body read), 1 conn p50", percentile(latencies, 0.5), "ms"),
        ("bare upload endpoint (2 MB body read), 1 conn p99", percentile(latencies, 0.99), "ms"),
        ("bare upload endpoint (2 MB body read), 8 conn", rate, "uploads/s"),
    ]
    return rows


@contextmanager
def _s3_server() -> Iterator[dict[str, str]]:
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    args = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    with _process(args, endpoint):
        settings = {
            "DOCUMENTS_STORE": "s3",
            "S3_ENDPOINT_URL": endpoint,
            "S3_BUCKET": "bench-documents",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench-secret",
            "AWS_REGION": "us-east-1",
        }
        client = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="bench",
            aws_secret_access_key="bench-secret",
        )
        client.create_bucket(Bucket=settings["S3_BUCKET"])
        yield settings


def run() -> list[Row]:
    body = form_body(a_scan())
    rows = _bare_rows(body)
    with tempfile.TemporaryDirectory() as tmp:
        env = {"DOCUMENTS_DIR": str(Path(tmp) / "documents")}
        rows += _platform_rows("filesystem", Path(tmp), env, body, memory=True)
    with tempfile.TemporaryDirectory() as tmp, _s3_server() as s3:
        rows += _platform_rows("S3 (moto server)", Path(tmp), s3, body, memory=False)
    return rows


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=1))
