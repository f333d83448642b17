"""``python -m services.identity accounts …``: authority accounts and the administrator from scripts.

    accounts add-authority --username U --password-file F --jurisdiction 110000
                           --org-name 北京市规划和自然资源委员会 --roles 受理,审查,审批
    accounts ensure-admin --password-file F

Both run the same handlers as the HTTP API, on the database of the environment's settings
(created and migrated if needed), with ``cli`` as the actor in the account audit. A password is
read from a file (its first line), never from the command line. Exit status: 0 done (also when
``ensure-admin`` finds the administrator already there), 1 refused (the reason in Chinese on
stderr), 2 bad usage.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TypeVar

import msgspec

from contracts.identity import api
from services.kernel import DomainError, SettingsError, UnitOfWork

from . import handlers, rules
from .app import SPEC

__all__ = ["CLI_ACTOR", "main"]

CLI_ACTOR = "cli"
T = TypeVar("T")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m services.identity", exit_on_error=False)
    commands = parser.add_subparsers(dest="group", required=True)
    accounts = commands.add_parser("accounts", help="authority accounts and the administrator")
    actions = accounts.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add-authority", help="create an authority account (主管部门账户)")
    add.add_argument("--username", required=True)
    add.add_argument("--password-file", required=True, type=Path)
    add.add_argument("--jurisdiction", required=True, help="110000 (a province) or 000000 (自然资源部)")
    add.add_argument("--org-name", required=True, help="机关名称")
    add.add_argument("--roles", required=True, help="受理,审查,审批 (one or more)")
    admin = actions.add_parser("ensure-admin", help="create the administrator `admin` if absent")
    admin.add_argument("--password-file", required=True, type=Path)
    return parser


def main(argv: Sequence[str]) -> int:
    """Run one ``accounts`` command; the exit status."""
    try:
        args = _parser().parse_args(list(argv))
    except argparse.ArgumentError as exc:
        return _fail(f"参数错误：{exc}", status=2)
    try:
        password = _read_password(args.password_file)
        if args.action == "ensure-admin":
            created = _run(lambda uow: handlers.ensure_admin(password, uow))
            sys.stdout.write("已创建系统管理员账户 admin\n" if created else "系统管理员账户 admin 已存在，未作更改\n")
            return 0
        request = _authority_request(args, password)
        account = _run(lambda uow: handlers.create_authority_account(request, uow, actor=CLI_ACTOR))
    except (DomainError, _UsageError) as exc:
        return _fail(str(getattr(exc, "message", exc)), status=2 if isinstance(exc, _UsageError) else 1)
    except SettingsError as exc:
        return _fail(f"identity: bad setting {exc}", status=1)
    sys.stdout.write(
        f"已创建主管部门账户 {account.username}（{account.org_name}，{account.jurisdiction}）：{account.account_id}\n"
    )
    return 0


class _UsageError(Exception):
    """A command-line value that no request could carry (unreadable file, unknown role name)."""


def _read_password(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise _UsageError(f"无法读取密码文件 {path}：{exc.strerror or exc}") from exc
    if not lines or not lines[0]:
        raise _UsageError(f"密码文件 {path} 的第一行为空")
    return lines[0]


def _authority_request(args: argparse.Namespace, password: str) -> api.AuthorityAccountCreate:
    """The same request the API decodes, so the same constraints hold (a 400 there, status 1 here)."""
    try:
        roles = rules.roles_from_names(args.roles)
    except ValueError as exc:
        raise _UsageError(f"未知的角色：{exc}（可选：受理、审查、审批）") from exc
    fields = {
        "username": args.username,
        "password": password,
        "org_name": args.org_name,
        "jurisdiction": args.jurisdiction,
        "roles": roles,
    }
    try:
        return msgspec.convert(fields, api.AuthorityAccountCreate)
    except msgspec.ValidationError as exc:
        raise _UsageError(f"输入有误：{exc}") from exc


def _run(use_case: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    return asyncio.run(_on_database(use_case))


async def _on_database(use_case: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """On identity's own database (created if missing), its migrations applied first."""
    async with SPEC.migrated_pool(SPEC.settings()) as pool:
        return await use_case(UnitOfWork(pool))


def _fail(message: str, *, status: int) -> int:
    sys.stderr.write(f"{message}\n")
    return status
