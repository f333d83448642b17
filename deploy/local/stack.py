"""The local platform: PostgreSQL, nats-server, the six services and the gateway as processes.

``make run`` uses it with ``.data/`` (state kept across runs); the end-to-end tests use it with a
temporary directory and free ports. Processes start in dependency order and stop in reverse,
each with SIGTERM first (graceful: stop accepting, finish in-flight requests, flush the relay).
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.kernel.registry import EMBEDDED_NATS_PORT, EMBEDDED_PG_PORT, GATEWAY, SERVICE_NAMES, SERVICES, entry

from .admin import ensure_admin
from .components import NatsServer, PostgresServer, env_with
from .hsm import ensure_hsm

__all__ = ["Stack", "StackConfig"]


@dataclass
class StackConfig:
    """Where the stack keeps its state and which ports it uses (all configurable)."""

    data_dir: Path
    gateway_port: int = GATEWAY.port
    pg_port: int = EMBEDDED_PG_PORT
    nats_port: int = EMBEDDED_NATS_PORT
    service_ports: dict[str, int] = field(default_factory=lambda: {service.name: service.port for service in SERVICES})
    database_url: str = ""  # external PostgreSQL instead of the embedded one
    nats_url: str = ""  # external NATS instead of the embedded one
    durable: bool = True
    extra_env: dict[str, str] = field(default_factory=dict)
    token_keys: tuple[str, str] | None = None
    """The gateway's (private, public) key pair; None: generated once into ``keys.json``."""
    public_url: str = ""
    """Where visitors reach the portal when it is not this machine's gateway port (a proxy in front);
    empty: :attr:`portal_url`. The 电子证书's QR code links there."""

    @property
    def portal_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}/"

    @property
    def public_base_url(self) -> str:
        """The portal's public address without the final slash (registry entries' ``public_url``)."""
        return (self.public_url or self.portal_url).rstrip("/")


@dataclass
class Stack:
    config: StackConfig
    postgres: PostgresServer | None = None
    nats: NatsServer | None = None
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    admin_password: str | None = None
    """The 系统管理员 ``admin``'s password, generated on the first start only (else None)."""

    @property
    def logs(self) -> Path:
        return self.config.data_dir / "logs"

    def database_url(self) -> str:
        if self.config.database_url:
            return self.config.database_url
        assert self.postgres is not None
        return self.postgres.url

    def nats_url(self) -> str:
        if self.config.nats_url:
            return self.config.nats_url
        assert self.nats is not None
        return self.nats.url

    def start(self, *, timeout: float = 90.0) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        if not self.config.database_url:
            pg_dir = self.config.data_dir / "pg"
            self.postgres = PostgresServer(
                pg_dir, self.config.pg_port, durable=self.config.durable, log_file=self.logs / "postgres.log"
            ).start()
        if not self.config.nats_url:
            self.nats = NatsServer(
                self.config.data_dir / "nats", self.config.nats_port, log_file=self.logs / "nats.log"
            ).start()
        identity_env = {**self._env_for("identity", self.config.service_ports["identity"]), **self.config.extra_env}
        self.admin_password = ensure_admin(self.config.data_dir, env_with(**identity_env))
        for service in SERVICES:
            self._spawn(service.name, service.module, self.config.service_ports[service.name])
        self._spawn(GATEWAY.name, GATEWAY.module, self.config.gateway_port)
        self.wait_ready(timeout)

    def _keys(self) -> dict[str, tuple[str, str]]:
        """One signing key pair per process (the gateway's may come from the configuration),
        generated once and kept with the data (mode 600)."""
        from services.kernel.auth import generate_keypair

        keys = self._key_file()
        names = [*SERVICE_NAMES, GATEWAY.name]
        if any(name not in keys for name in names):
            keys.update({name: list(keys.get(name) or generate_keypair()) for name in names})
            self._write_key_file(keys)
        found = {name: (keys[name][0], keys[name][1]) for name in names}
        if self.config.token_keys is not None:
            found[GATEWAY.name] = self.config.token_keys
        return found

    def _secrets(self, name: str) -> dict[str, str]:
        """The service's own keys (registry ``secrets``), generated once into ``keys.json``."""
        wanted = entry(name).secrets
        keys = self._key_file()
        secrets: dict[str, str] = dict(keys.get("secrets") or {})
        if any(variable not in secrets for variable in wanted):
            secrets.update({v: base64.b64encode(os.urandom(32)).decode() for v in wanted if v not in secrets})
            keys["secrets"] = secrets
            self._write_key_file(keys)
        return {variable: secrets[variable] for variable in wanted}

    def _key_file(self) -> dict[str, Any]:
        path = self.config.data_dir / "keys.json"
        found: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
        return found

    def _write_key_file(self, keys: dict[str, Any]) -> None:
        path = self.config.data_dir / "keys.json"
        path.write_text(json.dumps(keys))
        path.chmod(0o600)

    def _env_for(self, name: str, port: int) -> dict[str, str]:
        keys = self._keys()
        urls = {f"{service}_URL".upper(): f"http://127.0.0.1:{port_}" for service, port_ in self._ports().items()}
        return {
            "SERVICE_NAME": name,
            "PORT": str(port),
            "DATABASE_URL": self.database_url(),
            "NATS_URL": self.nats_url(),
            "INTERNAL_TOKEN_PRIVATE_KEY": keys[name][0],
            "INTERNAL_TOKEN_PUBLIC_KEY": keys[GATEWAY.name][1],
            "SERVICE_TOKEN_PUBLIC_KEYS": ",".join(f"{other}={keys[other][1]}" for other in SERVICE_NAMES),
            "DOCUMENTS_DIR": str(self.config.data_dir / "documents"),
            **urls,
            **dict(entry(name).environment),
            **({entry(name).public_url: self.config.public_base_url} if entry(name).public_url else {}),
            **self._secrets(name),
            **(ensure_hsm(self.config.data_dir) if entry(name).hsm else {}),
        }

    def _ports(self) -> dict[str, int]:
        return {**self.config.service_ports, GATEWAY.name: self.config.gateway_port}

    def _spawn(self, name: str, module: str, port: int) -> None:
        env = env_with(**{**self._env_for(name, port), **self.config.extra_env})
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child process
        root = Path(__file__).resolve().parents[2]
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", module], cwd=root, env=env, stdout=log, stderr=log, start_new_session=True
        )

    def wait_ready(self, timeout: float) -> None:
        url = f"http://127.0.0.1:{self.config.gateway_port}/readyz"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if json.loads(response.read()).get("status") == "ready":
                        return
            except (urllib.error.URLError, OSError, ValueError):
                pass
            time.sleep(0.2)
        raise TimeoutError(f"the platform did not become ready within {timeout}s; see {self.logs}")

    def _check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                tail = (self.logs / f"{name}.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"{name} exited with code {process.returncode}:\n{tail}")

    def stop(self, *, timeout: float = 20.0) -> None:
        """SIGTERM the gateway first, then the services, then NATS and PostgreSQL."""
        for name in [GATEWAY.name, *reversed(SERVICE_NAMES)]:
            process = self.processes.get(name)
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        self.processes.clear()
        if self.nats is not None:
            self.nats.stop()
        if self.postgres is not None:
            self.postgres.stop()
