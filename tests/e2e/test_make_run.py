"""``make run``'s launcher as a newcomer uses it: it prints the portal URL, Ctrl-C stops every
process it started, and a second run keeps the accounts and events of the first."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
from pathlib import Path

import httpx
import nats

from deploy.local.components import free_port
from services.kernel.registry import SERVICE_NAMES
from tests.builders.identity import a_registration
from tests.fixtures.portal_forms import csrf_in

START_TIMEOUT = 120


class Launcher:
    """``python -m deploy.local run`` with its own data directory and free ports."""

    def __init__(self, repo_root: Path, data_dir: Path) -> None:
        self.repo_root = repo_root
        self.ports = {"GATEWAY_PORT": free_port(), "PG_PORT": free_port(), "NATS_PORT": free_port()}
        self.ports.update({f"{name.upper()}_PORT": free_port() for name in SERVICE_NAMES})
        environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "NATS_URL")}
        self.env = {**environ, "QUAL_DATA_DIR": str(data_dir), **{k: str(v) for k, v in self.ports.items()}}
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> str:
        """Start and return the portal URL it prints."""
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "deploy.local",
            "run",
            cwd=self.repo_root,
            env=self.env,
            stdout=asyncio.subprocess.PIPE,
        )
        assert self.process.stdout is not None
        async with asyncio.timeout(START_TIMEOUT):
            while line := (await self.process.stdout.readline()).decode():
                if found := re.search(r"http://\S+/", line):
                    return found.group(0)
        raise AssertionError(f"the launcher printed no portal URL (exit code {self.process.returncode})")

    async def next_line(self) -> str:
        """The next line the launcher prints (after the portal URL: the admin password, if any)."""
        assert self.process is not None and self.process.stdout is not None
        async with asyncio.timeout(10):
            return (await self.process.stdout.readline()).decode()

    async def ctrl_c(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        async with asyncio.timeout(60):
            return await self.process.wait()

    def listening(self) -> list[str]:
        """The launcher's ports on which something still accepts connections."""
        busy = []
        for name, port in self.ports.items():
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    busy.append(name)
        return busy

    async def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


async def _sign_in(portal: str, form: dict[str, str], *, register: bool) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=portal, timeout=30) as http:
        if register:
            page = await http.get("/register")
            registered = await http.post("/register", data={**form, "_csrf": csrf_in(page.text)})
            assert registered.status_code == 303, registered.text
        page = await http.get("/login")
        credentials = {"username": form["username"], "password": form["password"], "_csrf": csrf_in(page.text)}
        assert (await http.post("/login", data=credentials)).status_code == 303
        me = await http.get("/api/identity/me")
        assert me.status_code == 200, me.text
        return dict(me.json())


async def _identity_events(nats_port: int) -> int:
    connection = await nats.connect(f"nats://127.0.0.1:{nats_port}")
    try:
        info = await connection.jetstream().stream_info("QUAL_IDENTITY")
        return int(info.state.messages)
    finally:
        await connection.close()


async def test_make_run_serves_stops_on_ctrl_c_and_keeps_state_across_runs(tmp_path: Path, repo_root: Path) -> None:
    launcher = Launcher(repo_root, tmp_path / "data")
    form = a_registration()
    try:
        portal = await launcher.start()
        assert portal == f"http://127.0.0.1:{launcher.ports['GATEWAY_PORT']}/"
        password_file = tmp_path / "data" / "admin-password"
        admin_password = password_file.read_text().strip()
        assert admin_password in await launcher.next_line()  # printed once, next to the URL
        assert password_file.stat().st_mode & 0o777 == 0o600
        admin = await _sign_in(portal, {"username": "admin", "password": admin_password}, register=False)
        assert (admin["role"], admin["jurisdiction"]) == ("admin", "000000")
        first = await _sign_in(portal, form, register=True)
        assert await _identity_events(launcher.ports["NATS_PORT"]) == 1
        assert await launcher.ctrl_c() == 0
        assert launcher.listening() == []  # nothing left behind

        portal = await launcher.start()
        assert "admin" not in await launcher.next_line()  # not printed again
        again = await _sign_in(portal, form, register=False)
        assert again["account_id"] == first["account_id"]
        assert await _identity_events(launcher.ports["NATS_PORT"]) == 1  # the event is still there, once
        assert await launcher.ctrl_c() == 0
        assert launcher.listening() == []
    finally:
        await launcher.kill()
