"""Gateway fixtures: real HTTP servers (granian, embedded in the test's event loop).

The gateway forwards over real HTTP, so its upstreams listen on real ports:

* ``echo`` — a tiny Litestar service that reports what reached it (method, path, headers,
  the verified internal token's caller, a digest of the body) and serves large, slow and gated
  bodies for the streaming and timeout tests;
* ``fake_identity`` — a stand-in for services/identity with its HTTP contract
  (contracts/identity/api.py) on the kernel app factory, used until the real service lands.
  It is a test double: the identity-flow test runs against the real service.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import msgspec
import pytest
from granian.constants import Interfaces
from granian.server.embed import Server
from litestar import Litestar, Request, Response, get, post, route
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.response import Stream

from contracts.auth import Caller
from contracts.identity.api import Account, LoginResult, Me, PasswordLogin, RegisterRequest
from deploy.local.components import free_port
from gateway.app import create_app
from gateway.settings import GatewaySettings
from services.identity.app import create_app as create_identity
from services.identity.settings import IdentitySettings
from services.kernel import (
    BaseSettings,
    ConflictError,
    DomainError,
    ForbiddenError,
    TokenVerifier,
    UnauthorizedError,
    create_service_app,
)
from tests.fixtures.portal_forms import csrf_in

SERVICES = ("identity", "applications", "registry", "staffing", "standards", "documents")
BLOCK = bytes(range(256)) * 256  # 64 KiB of a known pattern


@asynccontextmanager
async def serve(app: Any) -> AsyncIterator[str]:
    """Serve an ASGI app on a free port inside this event loop; yield its base URL."""
    port = free_port()
    server = Server(app, address="127.0.0.1", port=port, interface=Interfaces.ASGI, log_enabled=False)
    task = asyncio.create_task(server.serve())
    try:
        await _wait_listening(port, task)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 20)


async def _wait_listening(port: int, task: asyncio.Task[Any], within: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while asyncio.get_running_loop().time() < deadline:
        if task.done():
            task.result()
            raise RuntimeError("the server stopped at start")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.02)
            continue
        writer.close()
        await writer.wait_closed()
        return
    raise TimeoutError(f"nothing listened on {port} within {within}s")


@pytest.fixture
def server() -> Callable[[Any], contextlib.AbstractAsyncContextManager[str]]:
    """``async with server(app) as url``: any ASGI app on a real port (see ``serve``)."""
    return serve


# --- the echo service ---------------------------------------------------------------------------


@dataclass
class Gates:
    """Events shared by a test and the echo service (they run in the same event loop)."""

    upload_started: asyncio.Event = field(default_factory=asyncio.Event)
    download_release: asyncio.Event = field(default_factory=asyncio.Event)
    hang_release: asyncio.Event = field(default_factory=asyncio.Event)


def echo_app(verifier: TokenVerifier, gates: Gates, *, readiness: str = "ready") -> Litestar:
    """``readiness``: what /readyz does — ``ready`` (200), ``degraded`` (503) or ``hang``."""

    @get("/readyz")
    async def readyz() -> Response[dict[str, str]]:
        if readiness == "hang":
            await asyncio.wait_for(gates.hang_release.wait(), 30)
        return Response({"status": readiness}, status_code=200 if readiness == "ready" else 503)

    @route("/echo/{rest:path}", http_method=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def echo(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
        digest, length, chunks = hashlib.sha256(), 0, 0
        async for chunk in request.stream():
            digest.update(chunk)
            length += len(chunk)
            chunks += bool(chunk)
        token = request.headers.get("x-internal-token")
        caller = msgspec.to_builtins(verifier.verify(token)) if token else None
        body = {
            "method": request.method,
            "raw_path": request.scope.get("raw_path", b"").decode(),
            "query": request.scope.get("query_string", b"").decode(),
            "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in request.scope["headers"]],
            "caller": caller,
            "sha256": digest.hexdigest(),
            "length": length,
            "chunks": chunks,
        }
        headers = {"x-upstream": "echo", "set-cookie": "upstream=1; Path=/"}
        return Response(body, headers=headers, status_code=201 if request.method == "POST" else 200)

    @get("/download/{size:int}")
    async def download(size: FromPath[int]) -> Stream:
        async def blocks() -> AsyncIterator[bytes]:
            left = size
            while left > 0:
                yield BLOCK[: min(left, len(BLOCK))]
                left -= len(BLOCK)

        return Stream(blocks(), media_type="application/octet-stream")

    @get("/gated-download")
    async def gated_download() -> Stream:
        async def parts() -> AsyncIterator[bytes]:
            yield b"first-part;"
            await asyncio.wait_for(gates.download_release.wait(), 15)
            yield b"second-part"

        return Stream(parts(), media_type="text/plain")

    @post("/gated-upload")
    async def gated_upload(request: Request[Any, Any, Any]) -> dict[str, int]:
        length = 0
        async for chunk in request.stream():
            length += len(chunk)
            gates.upload_started.set()
        return {"length": length}

    @get("/hang")
    async def hang() -> dict[str, str]:
        await asyncio.wait_for(gates.hang_release.wait(), 30)
        return {"status": "late"}

    return Litestar(
        [readyz, echo, download, gated_download, gated_upload, hang], debug=False, request_max_body_size=None
    )


@pytest.fixture
async def gates() -> AsyncIterator[Gates]:
    gates = Gates()
    yield gates
    gates.download_release.set()
    gates.hang_release.set()


@pytest.fixture
async def echo(token_keys: tuple[str, str], gates: Gates) -> AsyncIterator[str]:
    async with serve(echo_app(TokenVerifier(token_keys[1]), gates)) as url:
        yield url


@pytest.fixture
async def unready_echo(token_keys: tuple[str, str], gates: Gates) -> AsyncIterator[str]:
    async with serve(echo_app(TokenVerifier(token_keys[1]), gates, readiness="degraded")) as url:
        yield url


@pytest.fixture
async def hanging_echo(token_keys: tuple[str, str], gates: Gates) -> AsyncIterator[str]:
    async with serve(echo_app(TokenVerifier(token_keys[1]), gates, readiness="hang")) as url:
        yield url


# --- the identity stand-in ----------------------------------------------------------------------

LOCKED_MESSAGE = "密码错误次数过多，账户已锁定，请 15 分钟后再试"
DUPLICATE_UNIT_ADVICE = (
    "单位名称已存在。请在单位内部询问是否已经注册账号，是否用原账号登录系统。如未注册，可在单位名称"
    "后面多加几个字符，避免名称重复，待注册账号成功后，首次发起申请时再进行修改更正。"
)


@dataclass
class IdentityDouble:
    url: str
    accounts: dict[str, tuple[str, Account]]
    logins: list[PasswordLogin]

    def add(self, username: str, password: str, *, unit_name: str = "测试测绘院") -> Account:
        account = Account(
            account_id=str(uuid.uuid4()),
            username=username,
            role="unit",
            unit_id=str(uuid.uuid4()),
            unit_name=unit_name,
        )
        self.accounts[username] = (password, account)
        return account


def identity_double_app(settings: BaseSettings, double: IdentityDouble) -> Litestar:
    def system_only(caller: NamedDependency[Caller]) -> None:
        if caller.role != "system":
            raise ForbiddenError("仅限系统调用")

    @post("/accounts", status_code=201)
    async def register(data: JSONBody[RegisterRequest], caller: NamedDependency[Caller]) -> Account:
        system_only(caller)
        if any(account.unit_name == data.unit_name for _, account in double.accounts.values()):
            details = [{"field": "$.unit_name", "problem": DUPLICATE_UNIT_ADVICE}]
            raise ConflictError(DUPLICATE_UNIT_ADVICE, code="identity.unit_name_taken", details=details)
        return double.add(data.username, data.password, unit_name=data.unit_name)

    @post("/logins/password", status_code=200)
    async def login(data: JSONBody[PasswordLogin], caller: NamedDependency[Caller]) -> LoginResult:
        system_only(caller)
        double.logins.append(data)
        if data.username == "locked":
            raise DomainError(LOCKED_MESSAGE, code="identity.account_locked", status_code=423)
        password, account = double.accounts.get(data.username, ("", None))
        if account is None or password != data.password:
            raise UnauthorizedError("用户名或密码错误", code="identity.invalid_credentials")
        return msgspec.convert(msgspec.to_builtins(account), LoginResult)

    @get("/me")
    async def me(caller: NamedDependency[Caller]) -> Me:
        account = next(a for _, a in double.accounts.values() if a.account_id == caller.account_id)
        return msgspec.convert(msgspec.to_builtins(account), Me)

    return create_service_app(
        settings=settings,
        route_handlers=[register, login, me],
        needs_database=False,
        needs_nats=False,
    )


@pytest.fixture
async def fake_identity(settings_for: Callable[..., BaseSettings]) -> AsyncIterator[IdentityDouble]:
    double = IdentityDouble(url="", accounts={}, logins=[])
    double.add("unita", "secret-pass-a", unit_name="甲测绘院")
    double.add("unitb", "secret-pass-b", unit_name="乙测绘院")
    async with serve(identity_double_app(settings_for(service="identity"), double)) as url:
        double.url = url
        yield double


# --- the gateway --------------------------------------------------------------------------------


@dataclass
class RunningGateway:
    url: str
    app: Litestar
    settings: GatewaySettings

    def client(self, **options: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.url, follow_redirects=False, timeout=30, **options)

    @property
    def pool(self) -> Any:
        return self.app.state.runtime.pool


@pytest.fixture
async def launch(settings_for: Callable[..., BaseSettings]) -> AsyncIterator[Callable[..., Awaitable[RunningGateway]]]:
    """``await launch(identity=url, applications=url, …, **settings)``: a gateway on a free port.

    Services not named point at a port nothing listens on.
    """
    async with AsyncExitStack() as stack:

        async def start(**options: Any) -> RunningGateway:
            nowhere = f"http://127.0.0.1:{free_port()}"
            urls = {f"{name}_url": options.pop(name, nowhere) for name in SERVICES}
            settings = settings_for(GatewaySettings, service="gateway", **urls, **options)
            assert isinstance(settings, GatewaySettings)
            app = create_app(settings)
            url = await stack.enter_async_context(serve(app))
            return RunningGateway(url=url, app=app, settings=settings)

        yield start


# --- portal helpers -----------------------------------------------------------------------------


def set_cookies(response: httpx.Response) -> dict[str, str]:
    """Cookie name → the whole Set-Cookie line."""
    return {line.split("=", 1)[0]: line for line in response.headers.get_list("set-cookie")}


def cookie_of(response: httpx.Response, name: str) -> str:
    line = set_cookies(response)[name]
    return line.split("=", 1)[1].split(";", 1)[0]


class Portal:
    """A browser-like visitor of one gateway: keeps cookies, reads CSRF tokens from the pages."""

    def __init__(self, gateway: RunningGateway) -> None:
        self.gateway = gateway
        self.http = gateway.client()

    async def page_token(self, path: str = "/login") -> str:
        response = await self.http.get(path)
        assert response.status_code == 200, response.text
        return csrf_in(response.text)

    async def login(self, username: str, password: str, **headers: str) -> httpx.Response:
        token = await self.page_token("/login")
        form = {"username": username, "password": password, "_csrf": token}
        return await self.http.post("/login", data=form, headers=headers)

    async def session_token(self) -> str:
        """The CSRF token of the signed-in session (from the work page)."""
        return await self.page_token("/")

    async def aclose(self) -> None:
        await self.http.aclose()


@pytest.fixture
async def portal() -> AsyncIterator[Callable[[RunningGateway], Portal]]:
    made: list[Portal] = []

    def make(gateway: RunningGateway) -> Portal:
        made.append(Portal(gateway))
        return made[-1]

    yield make
    for visitor in made:
        await visitor.aclose()


@pytest.fixture
async def identity(settings_for: Callable[..., Any], server: Callable[..., Any]) -> AsyncIterator[str]:
    """The real identity service on its own port (granian, PostgreSQL, NATS)."""
    settings = settings_for(IdentitySettings, service="identity")
    async with server(create_identity(settings)) as url:
        yield url


@pytest.fixture
def helpers() -> Any:
    """Small parsers the tests share (``csrf_in``, ``set_cookies``, ``cookie_of``)."""

    class Helpers:
        csrf_in = staticmethod(csrf_in)
        set_cookies = staticmethod(set_cookies)
        cookie_of = staticmethod(cookie_of)

    return Helpers
