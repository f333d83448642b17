"""``python -m services.identity accounts …`` end to end, on the test app's own database: the
administrator ensured once and never changed, authority accounts added with Chinese role names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from litestar import Litestar

from tests.builders.identity import PASSWORD

Headers = dict[str, str]


def cli(app: Litestar, *args: str) -> subprocess.CompletedProcess[str]:
    settings = app.state.runtime.settings
    env = {**os.environ, "DATABASE_URL": settings.database_url, "DATABASE_NAME": settings.database_name}
    return subprocess.run(
        [sys.executable, "-m", "services.identity", "accounts", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def password_file(tmp_path: Path, password: str, name: str = "password") -> str:
    path = tmp_path / name
    path.write_text(f"{password}\n")
    return str(path)


async def test_ensure_admin_creates_the_administrator_once_and_never_changes_it(
    app: Litestar, client: httpx.AsyncClient, system: Headers, pool: asyncpg.Pool[Any], tmp_path: Path
) -> None:
    first = cli(app, "ensure-admin", "--password-file", password_file(tmp_path, "Adm1n-first"))
    assert first.returncode == 0, first.stderr
    assert "已创建系统管理员账户 admin" in first.stdout
    row = await pool.fetchrow(
        "SELECT role, jurisdiction, org_name, roles, password_hash FROM accounts WHERE username = 'admin'"
    )
    assert row is not None
    assert (row["role"], row["jurisdiction"], row["org_name"], row["roles"]) == ("admin", "000000", "自然资源部", [])

    again = cli(app, "ensure-admin", "--password-file", password_file(tmp_path, "Adm1n-second", "other"))
    assert again.returncode == 0 and "已存在" in again.stdout
    assert await pool.fetchval("SELECT password_hash FROM accounts WHERE username = 'admin'") == row["password_hash"]
    login = {"username": "admin", "password": "Adm1n-first"}
    answer = await client.post("/logins/password", json=login, headers=system)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["role"], answer.json()["org_name"]) == ("admin", "自然资源部")


async def test_add_authority_maps_chinese_roles_and_refuses_a_taken_username(
    app: Litestar, client: httpx.AsyncClient, system: Headers, pool: asyncpg.Pool[Any], tmp_path: Path
) -> None:
    secret = password_file(tmp_path, PASSWORD)
    args = ["add-authority", "--username", "bj_office", "--password-file", secret, "--jurisdiction", "110000"]
    added = cli(app, *args, "--org-name", "北京市规划和自然资源委员会", "--roles", "审批,受理，审查")
    assert added.returncode == 0, added.stderr
    assert "已创建主管部门账户 bj_office" in added.stdout
    answer = await client.post("/logins/password", json={"username": "bj_office", "password": PASSWORD}, headers=system)
    assert answer.status_code == 200, answer.text
    assert answer.json()["roles"] == ["acceptance", "review", "approval"]
    assert (
        await pool.fetchval(
            "SELECT actor FROM account_audit a JOIN accounts b ON b.id = a.account_id WHERE b.username = 'bj_office'"
        )
        == "cli"
    )

    taken = cli(app, *args, "--org-name", "北京", "--roles", "受理")
    assert (taken.returncode, taken.stderr.strip()) == (1, "该用户名已被使用，请更换用户名")
    unknown = cli(
        app,
        "add-authority",
        "--username",
        "x_office",
        "--password-file",
        secret,
        "--jurisdiction",
        "110000",
        "--org-name",
        "北京",
        "--roles",
        "受理,局长",
    )
    assert unknown.returncode == 2 and "未知的角色：局长" in unknown.stderr
    city = cli(
        app,
        "add-authority",
        "--username",
        "y_office",
        "--password-file",
        secret,
        "--jurisdiction",
        "110100",
        "--org-name",
        "北京",
        "--roles",
        "受理",
    )
    assert city.returncode == 1 and "管辖区域" in city.stderr
    assert await pool.fetchval("SELECT count(*) FROM accounts WHERE username IN ('x_office', 'y_office')") == 0
