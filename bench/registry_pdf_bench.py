"""Signed 电子证书 generation on SoftHSM2: p50/p99 over 200 runs, with the bare ceilings.

Three rows in milliseconds: render alone (reportlab, font loaded once), sign alone (pyhanko PAdES
with the ECDSA on the token, session open), and the whole render + sign the registry does per
version (goal: p99 ≤ 300 ms). The token lives in a temporary directory.
``python bench/registry_pdf_bench.py``.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.registry.certificate_pdf import (
    CategoryLine,
    CertificateSigner,
    CertificateView,
    SignerConfig,
    ensure_token,
    render_certificate,
)

__all__ = ["RUNS", "run", "view"]

RUNS = 200
MODULE = "/usr/lib/softhsm/libsofthsm2.so"


def view() -> CertificateView:
    """A 甲级 certificate with 6 categories, as big as they usually get."""
    names = ("大地测量", "工程测量", "摄影测量与遥感", "地理信息系统工程", "不动产测绘", "海洋测绘")
    lines = tuple(CategoryLine(name, "甲级", ("子项一", "子项二", "子项三")) for name in names)
    return CertificateView(
        "甲测资字11000001", "甲级资质证书", "甲级", "北京经纬测绘科技有限公司", "91110108MA01ABCD2X",
        "北京市海淀区中关村南大街5号", "李明远", lines, "自然资源部", dt.date(2026, 1, 5), dt.date(2031, 1, 4),
        1, False, "https://chxz.example.cn/verify?number=甲测资字11000001",
    )  # fmt: skip


def _percentiles(work: Callable[[], object]) -> tuple[float, float]:
    """(p50, p99) in ms of ``RUNS`` calls after one warm-up."""
    work()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    cuts = statistics.quantiles(times, n=100)
    return cuts[49], cuts[98]


def run() -> list[tuple[str, float, str]]:
    with tempfile.TemporaryDirectory(prefix="registry-pdf-bench-") as directory:
        chain = ensure_token(MODULE, directory, "bench-cert-signing", "123456", "654321", "bench-key")
        config = SignerConfig(MODULE, "bench-cert-signing", "123456", "bench-key", chain.signing_pem, chain.root_pem)
        signer = CertificateSigner(config)
        try:
            certificate = view()
            unsigned = render_certificate(certificate)
            assert signer.verify(signer.sign(unsigned)).signature_valid
            render = _percentiles(lambda: render_certificate(certificate))
            sign = _percentiles(lambda: signer.sign(unsigned))
            whole = _percentiles(lambda: signer.sign(render_certificate(certificate)))
        finally:
            signer.close()
    rows = [("render alone (ceiling)", render), ("sign alone on SoftHSM2 (ceiling)", sign), ("render + sign", whole)]
    return [
        (f"registry 电子证书 {label} {name}", value, "ms")
        for label, pair in rows
        for name, value in zip(("p50", "p99"), pair, strict=True)
    ]


if __name__ == "__main__":
    for name, value, unit in run():
        sys.stdout.write(f"{name}: {value:,.1f} {unit}\n")
