"""``make run``'s first start: ensure_hsm makes the SoftHSM2 token, key and certificate once, keeps the
PINs private, and hands the registry an environment with which it signs and verifies a certificate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from deploy.local.hsm import ensure_hsm

ROOT = Path(__file__).resolve().parents[3]
SIGN_AND_VERIFY = """
import datetime as dt, os, types
from services.registry.certificate_pdf import CategoryLine, CertificateSigner, CertificateView, render_certificate
names = ("pkcs11_module", "hsm_token_label", "hsm_pin", "hsm_key_label", "hsm_signing_cert", "hsm_root_cert")
settings = types.SimpleNamespace(**{name: os.environ[name.upper()] for name in names})
view = CertificateView("甲测资字44000001", "甲级资质证书", "甲级", "广州测绘院", "91440101MA5CXXXX1A", "广州市", "陈一",
    (CategoryLine("海洋测绘", "甲级", ()),), "广东省自然资源厅", dt.date(2026, 1, 2), dt.date(2031, 1, 1), 1, False,
    "https://example.cn/verify?number=甲测资字44000001")
signer = CertificateSigner.open(settings)
print(signer.verify(signer.sign(render_certificate(view))).signature_valid)
signer.close()
"""


def test_ensure_hsm_provisions_once_and_the_registry_can_sign_with_it(tmp_path: Path) -> None:
    env = ensure_hsm(tmp_path)
    assert ensure_hsm(tmp_path) == env  # second start: same token, PIN and certificate
    pins = tmp_path / "hsm" / "pins.json"
    assert pins.stat().st_mode & 0o777 == 0o600
    assert json.loads(pins.read_text())["pin"] == env["HSM_PIN"]
    assert Path(env["HSM_SIGNING_CERT"]).read_text().startswith("-----BEGIN CERTIFICATE-----")
    assert Path(env["SOFTHSM2_CONF"]).is_file()
    child = subprocess.run(
        [sys.executable, "-c", SIGN_AND_VERIFY], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True
    )
    assert child.stdout.strip() == "True", child.stderr
