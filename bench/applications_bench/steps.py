"""Where 提交's time goes: the two service-only calls it makes, timed alone, straight to the service
as the applications service makes them (its own token, signed with its key from ``keys.json``):

  * 人员装备快照 ``POST staffing /snapshots`` for the unit's 500 persons and 100 instruments;
  * 冻结 ``POST documents /freezes`` of the 40 scans.

Each call names a fresh application id, so each freezes anew (a repeat would answer the first).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable

import httpx

from deploy.local.stack import Stack
from services.kernel.auth import TOKEN_HEADER, TokenSigner, service_caller
from services.kernel.registry import audience_for

__all__ = ["ServiceDesk"]


class ServiceDesk:
    """Calls to staffing and documents as the applications service, timed."""

    def __init__(self, stack: Stack) -> None:
        keys = json.loads((stack.config.data_dir / "keys.json").read_text())
        self.signer = TokenSigner(keys["applications"][0], issuer="applications")
        self.urls = {name: f"http://127.0.0.1:{port}" for name, port in stack.config.service_ports.items()}
        self.client = httpx.Client(timeout=60)
        self.answer_bytes = 0

    def _post(self, service: str, path: str, body: dict[str, object]) -> float:
        token = self.signer.sign(service_caller("applications"), audience=audience_for(service))
        started = time.perf_counter()
        response = self.client.post(self.urls[service] + path, json=body, headers={TOKEN_HEADER: token})
        seconds = time.perf_counter() - started
        if response.status_code >= 300:
            raise RuntimeError(f"{service} {path} answered {response.status_code}: {response.text[:300]}")
        self.answer_bytes = len(response.content)
        return seconds

    def snapshot(self, unit_id: str, jurisdiction: str) -> float:
        body = {"unit_id": unit_id, "application_id": str(uuid.uuid4()), "revision": 0, "jurisdiction": jurisdiction}
        return self._post("staffing", "/snapshots", body)

    def freeze(self, unit_id: str, jurisdiction: str, document_ids: list[str]) -> float:
        body = {
            "application_id": str(uuid.uuid4()),
            "revision": 0,
            "unit_id": unit_id,
            "jurisdiction": jurisdiction,
            "document_ids": document_ids,
        }
        return self._post("documents", "/freezes", body)

    def repeated(self, call: Callable[[], float], count: int, warm_up: int) -> list[float]:
        """Seconds of each of ``count`` calls after ``warm_up`` untimed ones."""
        return [call() for _ in range(warm_up + count)][warm_up:]

    def close(self) -> None:
        self.client.close()
