"""The local platform: PostgreSQL, nats-server, the six services and the gateway as processes.

``make run`` uses it with ``.data/`` (state kept across runs); the end-to-end tests use it with a
temporary directory and free ports. Processes start in dependency order and stop in reverse,
each with SIGTERM first (graceful: stop accepting, finish in-flight requests, flush the relay).
"""

from __future__ import annotations

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

from .components import NatsServer, PostgresServer, env_with

__all__ = ["SERVICES", "Stack", "StackConfig"]

SERVICES = ("identity", "applications", "registry", "staffing", "standards", "documents")


@dataclass
class StackConfig:
    """Where the stack keeps its state and which ports it uses (all configurable)."""

    data_dir: Path
    gateway_port: int = 8080
    pg_port: int = 55432
    nats_port: int = 54222
    service_ports: dict[str, int] = field(
        default_factory=lambda: {name: 8101 + index for index, name in enumerate(SERVICES)}
    )
    database_url: str = ""  # external PostgreSQL instead of the embedded one
    nats_url: str = ""  # external NATS instead of the embedded one
    durable: bool = True
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def portal_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}/"


@dataclass
class Stack:
    config: StackConfig
    postgres: PostgresServer | None = None
    nats: NatsServer | None = None
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

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
        for name in SERVICES:
            self._spawn(name, f"services.{name}", self.config.service_ports[name])
        self._spawn("gateway", "gateway", self.config.gateway_port, self._upstream_env())
        self.wait_ready(timeout)

    def _keys(self) -> dict[str, str]:
        """The internal-token key pair, generated once and kept with the data."""
        path = self.config.data_dir / "keys.json"
        if not path.exists():
            from services.kernel.auth import generate_keypair

            private, public = generate_keypair()
            path.write_text(json.dumps({"private": private, "public": public}))
            path.chmod(0o600)
        keys = json.loads(path.read_text())
        return {"INTERNAL_TOKEN_PRIVATE_KEY": keys["private"], "INTERNAL_TOKEN_PUBLIC_KEY": keys["public"]}

    def _upstream_env(self) -> dict[str, str]:
        return {f"{name.upper()}_URL": f"http://127.0.0.1:{port}" for name, port in self.config.service_ports.items()}

    def _spawn(self, name: str, module: str, port: int, extra: dict[str, str] | None = None) -> None:
        env = env_with(
            SERVICE_NAME=name,
            PORT=str(port),
            DATABASE_URL=self.database_url(),
            NATS_URL=self.nats_url(),
            **self._keys(),
            **(extra or {}),
            **self.config.extra_env,
        )
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
        for name in ["gateway", *reversed(SERVICES)]:
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
