"""Drive wrk (Debian package) against a local URL and parse requests/s, errors and latency."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["WrkResult", "median_of", "wrk"]

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
_LUA = """
wrk.method = "{method}"
wrk.body = [==[{body}]==]
{headers}
{paths}
done = function(summary, latency, requests)
  io.write(string.format("P50 %f\\nP99 %f\\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


@dataclass
class WrkResult:
    rps: float
    errors: int
    p50_ms: float
    p99_ms: float


def _ms(text: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s)", text)
    assert match, text
    return float(match.group(1)) * _UNITS[match.group(2)]


def wrk(
    url: str,
    *,
    connections: int,
    seconds: int = 5,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    body: str = "",
    paths: list[str] | None = None,
) -> WrkResult:
    """One wrk run on one thread (the other core serves); non-2xx/3xx answers count as errors.
    ``paths``: each request takes one of these at random (already URL-encoded) instead of ``url``'s."""
    binary = shutil.which("wrk")
    if binary is None:
        raise FileNotFoundError("wrk is not installed: run `make install-system`")
    header_lines = "\n".join(f'wrk.headers["{k}"] = [==[{v}]==]' for k, v in (headers or {}).items())
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "s.lua"
        script.write_text(_LUA.format(method=method, body=body, headers=header_lines, paths=_random_paths(paths)))
        done = subprocess.run(
            [binary, "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url],
            capture_output=True,
            text=True,
            check=True,
        )
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in match.groups())
    p50 = float(re.search(r"P50 ([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = float(re.search(r"P99 ([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return WrkResult(rps=rps, errors=errors, p50_ms=p50, p99_ms=p99)


def _random_paths(paths: list[str] | None) -> str:
    if not paths:
        return ""
    listed = ",".join(f'"{path}"' for path in paths)
    return f"paths = {{{listed}}}\nrequest = function() return wrk.format(nil, paths[math.random(#paths)]) end"


def median_of(runs: list[WrkResult]) -> WrkResult:
    """Median by requests/s; latency medians taken separately; errors summed."""

    def mid(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]

    return WrkResult(
        rps=mid([r.rps for r in runs]),
        errors=sum(r.errors for r in runs),
        p50_ms=mid([r.p50_ms for r in runs]),
        p99_ms=mid([r.p99_ms for r in runs]),
    )
