"""The bench's visitors in the portal, through the gateway as a browser reaches it: the bench unit
(registered and logged in by the platform benchmark's helper) and a provincial authority (created
with identity's ``accounts add-authority`` command, then logged in through the 登录 form).

``Desk`` is one kept-alive httpx client with the visitor's cookie and CSRF token; it fails on any
refusal (a refused request is fast, and its time would pass for the real thing).
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from deploy.local.stack import Stack

from ..documents_bench import page_csrf_token
from ..platform_bench import form_csrf, login_cookie

__all__ = ["AUTHORITY_ORG", "Desk", "authority_cookie", "unit_cookie"]

AUTHORITY_ORG = "福建省自然资源厅"
_PASSWORD = "Bench#2026pass"
_ROOT = Path(__file__).resolve().parents[2]


class Desk:
    """A logged-in visitor's kept-alive client: JSON calls and document uploads."""

    def __init__(self, portal: str, cookie: str) -> None:
        self.portal, self.cookie = portal, cookie
        self.reading = {"Cookie": cookie}
        self.writing = {**self.reading, "X-CSRF-Token": page_csrf_token(portal, cookie)}
        self.client = httpx.Client(base_url=portal, headers=self.writing, timeout=60)

    def call(self, method: str, path: str, body: object = None) -> Any:
        response = self.client.request(method, path, json=body)
        if response.status_code >= 300:
            raise RuntimeError(f"{method} {path} answered {response.status_code}: {response.text[:400]}")
        return response.json() if response.content else None

    def timed(self, method: str, path: str, body: object = None) -> tuple[float, Any]:
        """Seconds the call took (from request to the whole answer read) and its answer."""
        started = time.perf_counter()
        answer = self.call(method, path, body)
        return time.perf_counter() - started, answer

    def upload(self, purpose: str, content: bytes, name: str) -> str:
        """上传 a scan of ``purpose``; the new document's id."""
        files = {"file": (name, content, "image/jpeg")}
        response = self.client.post("/api/documents/documents", data={"purpose": purpose}, files=files)
        if response.status_code != 201:
            raise RuntimeError(f"upload answered {response.status_code}: {response.text[:400]}")
        return str(response.json()["id"])

    def close(self) -> None:
        self.client.close()


def a_scan(seed: int) -> bytes:
    """A small distinct jpg (a scanned page's stand-in: 400×300 px of noise)."""
    pixels = random.Random(seed).randbytes(400 * 300 * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (400, 300), pixels).save(out, "JPEG", quality=70)
    return out.getvalue()


def unit_cookie(portal: str) -> str:
    """Register a unit (credit code 91350100…, 福建省) and log it in; its Cookie header."""
    return login_cookie(portal)


def _add_authority(stack: Stack, username: str, jurisdiction: str) -> None:
    """``python -m services.identity accounts add-authority`` on the stack's identity database."""
    with tempfile.TemporaryDirectory() as tmp:
        secret = Path(tmp) / "password"
        secret.write_text(f"{_PASSWORD}\n")
        env = {**os.environ, "DATABASE_URL": stack.database_url(), "SERVICE_NAME": "identity"}
        command = [
            *(sys.executable, "-m", "services.identity", "accounts", "add-authority", "--username", username),
            *("--password-file", str(secret), "--jurisdiction", jurisdiction, "--org-name", AUTHORITY_ORG),
            *("--roles", "受理,审查,审批"),
        ]
        done = subprocess.run(command, cwd=_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"creating the authority account failed:\n{done.stdout}{done.stderr}")


def authority_cookie(stack: Stack, jurisdiction: str) -> str:
    """A provincial authority (受理, 审查, 审批) created and logged in; its Cookie header."""
    username = f"auth{uuid.uuid4().hex[:8]}"
    _add_authority(stack, username, jurisdiction)
    portal = stack.config.portal_url.rstrip("/")
    with httpx.Client(base_url=portal, follow_redirects=True, timeout=30) as client:
        page = client.get("/login").text
        client.post("/login", data={"_csrf": form_csrf(page), "username": username, "password": _PASSWORD})
        me = client.get("/api/identity/me")
        if me.status_code != 200 or me.json().get("role") != "authority":
            raise RuntimeError(f"the authority's login failed: {me.status_code} {me.text[:200]}")
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())
