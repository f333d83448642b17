"""Start and stop the real infrastructure processes: PostgreSQL and nats-server with JetStream.

Used by ``make run`` (data kept in ``.data/``) and by the test fixtures (temporary directories,
free ports), so tests run the very components the platform runs on.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["NatsServer", "PostgresServer", "ephemeral_port_range", "free_port", "nats_server_binary"]


EPHEMERAL_RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")
DEFAULT_EPHEMERAL_RANGE = (32768, 60999)
"""Linux's default range for the local ports of outgoing connections."""
LOWEST_FREE_PORT = 20000
_handed_out: set[int] = set()


def ephemeral_port_range(path: Path = EPHEMERAL_RANGE_FILE) -> tuple[int, int]:
    """The kernel's range of local ports for outgoing connections (``low high``); the default when
    the file is missing or unreadable."""
    try:
        low, high = (int(part) for part in path.read_text().split())
    except (OSError, ValueError):
        return DEFAULT_EPHEMERAL_RANGE
    return low, high


def _binds(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(*, range_file: Path = EPHEMERAL_RANGE_FILE, rng: random.Random | None = None) -> int:
    """A free TCP port on 127.0.0.1 below the ephemeral range, never handed out before by this process.

    A server must be able to bind its port again after a restart: a port inside the ephemeral range
    may meanwhile be the local address of some outgoing connection (one to the very server, even),
    and the restarted server then fails with "address in use". Ports below the range are only
    ever taken by listeners.
    """
    low, _ = ephemeral_port_range(range_file)
    floor = LOWEST_FREE_PORT if low > LOWEST_FREE_PORT + 1000 else 1024
    choose = rng or random.SystemRandom()
    for _ in range(200 if low - 1 > floor else 0):
        port = choose.randint(floor, low - 1)
        if port not in _handed_out and _binds(port):
            _handed_out.add(port)
            return port
    with socket.socket() as sock:  # no room below the range: let the kernel choose
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, *, process: subprocess.Popen[bytes], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise TimeoutError(f"{what} did not listen on port {port} within {timeout}s")


def _stop(process: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM, timeout: float = 15.0) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def _pg_bin() -> Path:
    """The ``pgserver`` wheel's bundled PostgreSQL 16 binaries (found without importing it)."""
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the pgserver wheel is not installed: run `make install`")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


_PG_SYSTEM_USER = "pgserver"


def _pg_user() -> str | None:
    """PostgreSQL refuses to run as root: as root, run it as an unprivileged system user."""
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        pwd.getpwnam(_PG_SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", _PG_SYSTEM_USER], check=True, capture_output=True)
    return _PG_SYSTEM_USER


def _grant_traversal(path: Path) -> None:
    """Let the PostgreSQL user reach ``path``: add o+rx on each parent folder, as pgserver does."""
    for parent in [path, *path.parents]:
        if parent.exists():
            parent.chmod(parent.stat().st_mode | 0o055)


def _prepare_for(user: str, data_dir: Path) -> None:
    import pwd

    entry = pwd.getpwnam(user)
    _grant_traversal(data_dir.parent)
    _grant_traversal(_pg_bin())
    for root, dirs, files in os.walk(_pg_bin().parent):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)
        for name in files:
            file = os.path.join(root, name)
            os.chmod(file, os.stat(file).st_mode | 0o044)
    for root, _dirs, files in os.walk(data_dir):
        os.chown(root, entry.pw_uid, entry.pw_gid)
        for name in files:
            os.chown(os.path.join(root, name), entry.pw_uid, entry.pw_gid)


@dataclass
class PostgresServer:
    """A real PostgreSQL 16 from the ``pgserver`` wheel, on TCP 127.0.0.1:``port``."""

    data_dir: Path
    port: int
    durable: bool = True
    log_file: Path | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _init_cluster(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir.chmod(0o700)
        user = _pg_user()
        if user is not None:
            _prepare_for(user, self.data_dir)
        if (self.data_dir / "PG_VERSION").exists():
            return
        subprocess.run(
            [
                str(_pg_bin() / "initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            user=user,
        )

    def start(self) -> PostgresServer:
        self._init_cluster()
        args = [
            str(_pg_bin() / "postgres"),
            "-D",
            str(self.data_dir),
            "-p",
            str(self.port),
            "-h",
            "127.0.0.1",
            "-k",
            str(self.data_dir),
            "-c",
            "max_connections=300",
        ]
        if not self.durable:
            args += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        log = open(self.log_file or self.data_dir / "server.log", "ab")  # noqa: SIM115 - owned by the process
        self.process = subprocess.Popen(args, stdout=log, stderr=log, start_new_session=True, user=_pg_user())
        _wait_for_port(self.port, process=self.process, what="PostgreSQL")
        self._wait_accepting()
        return self

    def _running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _wait_accepting(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = subprocess.run(
                [str(_pg_bin() / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"],
                capture_output=True,
            )
            if done.returncode == 0:
                return
            time.sleep(0.1)
        raise TimeoutError("PostgreSQL did not accept connections")

    def stop(self) -> None:
        _stop(self.process, signal.SIGINT)  # "fast" shutdown: clean, no client waits


def nats_server_binary() -> str:
    candidate = Path(sys.executable).parent / "nats-server"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("nats-server")
    if found is None:
        raise FileNotFoundError("nats-server not found: run `make install`")
    return found


@dataclass
class NatsServer:
    """A real nats-server with JetStream on disk; ``port`` 0 picks a free one (kept on restart)."""

    store_dir: Path
    port: int = 0
    log_file: Path | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> NatsServer:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        if not self.port:  # chosen here, below the ephemeral range, so a restart can bind it again
            self.port = free_port()
        args = [
            nats_server_binary(),
            "-js",
            "-sd",
            str(self.store_dir),
            "-a",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-l",
            str(self.log_file or self.store_dir / "nats.log"),
        ]
        self.process = subprocess.Popen(args, start_new_session=True)
        _wait_for_port(self.port, process=self.process, what="nats-server")
        return self

    def stop(self) -> None:
        _stop(self.process)

    def kill(self) -> None:
        _stop(self.process, signal.SIGKILL)

    def restart(self) -> None:
        self.stop()
        self.start()


def env_with(**values: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(values)
    return env
