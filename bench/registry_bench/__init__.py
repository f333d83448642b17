"""Registry benchmarks (issue 11, ``make bench``), with 100,000 old-regime certificates loaded first.

Starts its own embedded platform (temporary directory, free ports; the gateway's public per-IP
limit raised through ``PUBLIC_LIMIT_PER_IP`` so the bench measures the path, not the limiter),
then, in this order:
  * the legacy load: a 100,000-row export (``export``) loaded by ``python -m services.registry
    legacy-load FILE`` as an administrator would, timed end to end (process start, migrations
    check, reading, checking, COPY, commit; goal ≤ 10 s);
  * ``ISSUED`` certificates issued by approvals (``seed``) on the platform's registry database;
  * public verification ``GET /api/registry/public/certificates/{number}``, each request a number
    drawn at random from the whole register (all 100,200): through the gateway at 1 connection
    (p50/p99, goal p99 ≤ 10 ms) and at 50 connections (req/s, goal ≥ 2,000/s with 0 errors); the
    registry alone at 50 connections (the gateway's share), and the bare Litestar ceiling of the
    same run;
  * signed 电子证书 generation (render + sign on SoftHSM2, p99, goal ≤ 300 ms): ``registry_pdf_bench``.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from deploy.local.stack import Stack

from .. import registry_pdf_bench
from ..platform_bench import bare_server, measure, started_platform
from .export import write_export
from .seed import issue_certificates, registry_token, settled

__all__ = ["run"]

Row = tuple[str, float, str]
LEGACY_ROWS = 100_000
ISSUED = 200
ROOT = Path(__file__).resolve().parents[2]
LOOKUP = "/api/registry/public/certificates/"


def _cli_load(stack: Stack, export: Path) -> tuple[float, int]:
    env = {**os.environ, "DATABASE_URL": stack.database_url(), "SERVICE_NAME": "registry", "LOG_JSON": "false"}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "services.registry", "legacy-load", str(export)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    printed = done.stdout.decode()
    if done.returncode != 0:
        raise RuntimeError(f"legacy-load failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    loaded = int(re.search(r"导入\s*([0-9,]+)", printed).group(1).replace(",", ""))  # type: ignore[union-attr]
    return elapsed, loaded


def _lookup_rows(stack: Stack, numbers: list[str]) -> list[Row]:
    portal = stack.config.portal_url.rstrip("/")
    # every number of the register (100,200), each request one at random: no small hot set that
    # a cache (the database's or any other) would keep warm
    paths = [LOOKUP + quote(number) for number in random.Random(11).sample(numbers, len(numbers))]
    label = "registry: public verification via gateway"
    one = measure(portal + paths[0], connections=1, paths=paths)
    many = measure(portal + paths[0], connections=50, paths=paths)  # errors are reported in the row
    direct = f"http://127.0.0.1:{stack.config.service_ports['registry']}"
    alone_paths = [path.removeprefix("/api/registry") for path in paths]
    token = {"x-internal-token": registry_token(stack)}
    alone = measure(direct + alone_paths[0], connections=50, paths=alone_paths, headers=token)
    with bare_server() as url:
        bare = measure(url, connections=50)
    return [
        (f"{label}, 1 conn p50", one.p50_ms, "ms"),
        (f"{label}, 1 conn p99", one.p99_ms, f"ms (goal ≤ 10; {one.rps:,.0f} req/s; {one.errors} errors)"),
        (f"{label}, 50 conn", many.rps, f"req/s (goal ≥ 2,000; {many.errors} errors; p99 {many.p99_ms:.1f} ms)"),
        (
            "registry: public verification, registry alone, 50 conn",
            alone.rps,
            f"req/s ({alone.errors} errors; p99 {alone.p99_ms:.1f} ms)",
        ),
        ("bare Litestar endpoint (ceiling), 50 conn", bare.rps, "req/s"),
    ]


def _pdf_rows() -> list[Row]:
    return [row for row in registry_pdf_bench.run() if "render + sign" in row[0]]


def run() -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "legacy.csv"
        numbers = write_export(export, LEGACY_ROWS)
        stack = started_platform(Path(tmp) / "platform", PUBLIC_LIMIT_PER_IP="100000000")
        try:
            seconds, loaded = _cli_load(stack, export)
            if loaded != LEGACY_ROWS:
                raise RuntimeError(f"expected {LEGACY_ROWS:,} certificates loaded, got {loaded:,}")
            numbers += issue_certificates(stack, ISSUED)
            cores = os.cpu_count() or 1
            rows: list[Row] = [
                (
                    f"registry: legacy load, {LEGACY_ROWS:,} rows (CLI, end to end)",
                    seconds,
                    f"s on {cores} cores (goal ≤ 10 s)",
                ),
                ("registry: legacy load rate", LEGACY_ROWS / seconds, "rows/s"),
            ]
            drained = settled(stack)  # the 100,200 events relayed, the PDFs signed: measure the steady state
            rows.append(("registry: backlog drained after the load (setup, not measured)", drained, "s"))
            print(rows, file=sys.stderr, flush=True)
            rows += _lookup_rows(stack, numbers)
        finally:
            stack.stop()
    return rows + _pdf_rows()
