"""``python -m deploy.local run|stop``: the embedded platform behind ``make run`` / ``make stop``."""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

from services.kernel.registry import EMBEDDED_NATS_PORT, EMBEDDED_PG_PORT, GATEWAY, SERVICES

from .stack import Stack, StackConfig

DATA_DIR = Path(os.environ.get("QUAL_DATA_DIR", ".data")).resolve()
PID_FILE = DATA_DIR / "stack.pid"


def _config() -> StackConfig:
    env = os.environ
    ports = {service.name: int(env.get(f"{service.name.upper()}_PORT", service.port)) for service in SERVICES}
    private, public = env.get("INTERNAL_TOKEN_PRIVATE_KEY", ""), env.get("INTERNAL_TOKEN_PUBLIC_KEY", "")
    if bool(private) != bool(public):
        raise SystemExit("INTERNAL_TOKEN_PRIVATE_KEY and INTERNAL_TOKEN_PUBLIC_KEY: give both or neither")
    return StackConfig(
        data_dir=DATA_DIR,
        gateway_port=int(env.get("GATEWAY_PORT", GATEWAY.port)),
        pg_port=int(env.get("PG_PORT", EMBEDDED_PG_PORT)),
        nats_port=int(env.get("NATS_PORT", EMBEDDED_NATS_PORT)),
        service_ports=ports,
        database_url=env.get("DATABASE_URL", ""),
        nats_url=env.get("NATS_URL", ""),
        token_keys=(private, public) if private else None,
        public_url=env.get("PUBLIC_URL", ""),
    )


def run() -> int:
    config = _config()
    stack = Stack(config)
    stopping = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopping.set())
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    PID_FILE.write_text(str(os.getpid()))
    try:
        print("starting PostgreSQL, nats-server, 6 services and the gateway …", flush=True)
        stack.start()
        print(f"全国测绘资质管理信息系统 is ready: {config.portal_url}", flush=True)
        if stack.admin_password:
            where = DATA_DIR / "admin-password"
            print(f"系统管理员 admin 初始密码：{stack.admin_password}（保存在 {where}，仅显示这一次）", flush=True)
        print("press Ctrl-C (or run `make stop`) to stop everything", flush=True)
        stopping.wait()
    except (RuntimeError, TimeoutError) as exc:
        print(f"start failed: {exc}", file=sys.stderr)
        return 1
    finally:
        print("stopping …", flush=True)
        stack.stop()
        PID_FILE.unlink(missing_ok=True)
        print("stopped", flush=True)
    return 0


def stop() -> int:
    if not PID_FILE.exists():
        print("no platform is running from this directory")
        return 0
    pid = int(PID_FILE.read_text())
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        PID_FILE.unlink(missing_ok=True)
        return 0
    print(f"asked the platform (pid {pid}) to stop")
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "run"
    sys.exit({"run": run, "stop": stop}.get(command, run)())
