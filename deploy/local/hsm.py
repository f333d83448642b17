"""The embedded HSM of ``make run``: a SoftHSM2 token holding the platform root key and the 电子证书
signing key, made on first start.

:func:`ensure_hsm` generates the token's PINs once into ``.data/hsm/pins.json`` (mode 600), has the
token, the two EC P-256 key pairs (the root under ``ROOT_LABEL``, the signing key under ``KEY_LABEL``),
the root's self-signed certificate and the signing certificate it issues created if missing (in a
child process: the launcher loads no PKCS#11 module), and returns the registry's environment for it.
A token made before the root existed gets its root and a signing certificate issued by it.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

__all__ = ["KEY_LABEL", "MODULE_CANDIDATES", "ROOT_LABEL", "TOKEN_LABEL", "ensure_hsm"]

TOKEN_LABEL = "qual-certificates"
KEY_LABEL = "certificate-signing"
ROOT_LABEL = "platform-root"
MODULE_CANDIDATES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
)
_ROOT = Path(__file__).resolve().parents[2]


def ensure_hsm(data_dir: Path) -> dict[str, str]:
    """Environment for the registry: ``PKCS11_MODULE``, ``SOFTHSM2_CONF``, ``HSM_TOKEN_LABEL``, ``HSM_PIN``,
    ``HSM_KEY_LABEL``, ``HSM_SIGNING_CERT`` and ``HSM_ROOT_CERT`` (the certificates' paths). Idempotent."""
    token_dir = Path(data_dir) / "hsm"
    token_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    module = _module()
    pins = _pins(token_dir / "pins.json")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "services.registry.certificate_pdf.token",
            module,
            str(token_dir),
            TOKEN_LABEL,
            KEY_LABEL,
            ROOT_LABEL,
        ],
        cwd=_ROOT,
        env={**os.environ, "HSM_PIN": pins["pin"], "HSM_SO_PIN": pins["so_pin"], "SOFTHSM2_CONF": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"SoftHSM2 token provisioning failed:\n{done.stderr.strip()}")
    signing_cert, root_cert = done.stdout.split()
    return {
        "PKCS11_MODULE": module,
        "SOFTHSM2_CONF": str(token_dir / "softhsm2.conf"),
        "HSM_TOKEN_LABEL": TOKEN_LABEL,
        "HSM_PIN": pins["pin"],
        "HSM_KEY_LABEL": KEY_LABEL,
        "HSM_SIGNING_CERT": signing_cert,
        "HSM_ROOT_CERT": root_cert,
    }


def _module() -> str:
    for candidate in MODULE_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    raise RuntimeError("SoftHSM2 is not installed (libsofthsm2.so not found): run `make install`")


def _pins(path: Path) -> dict[str, str]:
    """The user and SO PINs, generated once (the token keeps them: never regenerate)."""
    if path.exists():
        found: dict[str, str] = json.loads(path.read_text())
        return found
    pins = {"pin": secrets.token_hex(8), "so_pin": secrets.token_hex(8)}
    path.write_text(json.dumps(pins))
    path.chmod(0o600)
    return pins
