"""Contract-tier fixtures: services and the gateway on real ports (granian in the test's event
loop, real PostgreSQL and NATS), a registered unit account, internal tokens, and schemathesis.

The servers run in the test's loop; schemathesis (blocking, ``requests``) runs in one child
process for the session. In a thread of this process it would share the GIL with the servers and
every request would wait for it: a run took twice as long.
"""

from __future__ import annotations

import asyncio
import importlib
import multiprocessing
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

import httpx
import pytest

from contracts.auth import Caller
from services.identity.rules import credit_code_check_char
from services.kernel import generate_keypair
from services.kernel.registry import entry
from services.standards.catalog import Catalog
from services.standards.settings import DEFAULT_DATA_DIR
from tests.builders.identity import PASSWORD, a_registration
from tests.builders.staffing import an_id_number
from tests.contract.runner import Outcome, run_schemathesis
from tests.fixtures.gateway import Portal
from tests.fixtures.hsm import hsm_settings
from tests.fixtures.portal_forms import csrf_in
from tests.fixtures.servers import serve

__all__ = ["Account", "Session"]

READ_BY_ANY_UNIT = {"identity": "GET /me", "standards": "GET /standards"}
"""An operation of the service that answers 200 to a signed-in unit: proof the credentials reached it."""


@dataclass(frozen=True)
class Account:
    """A registered unit account: its 注册 form and what a unit token carries."""

    form: dict[str, str]
    caller: Caller


def vocabulary(account: Account) -> dict[str, Any]:
    """Domain-valid values for schemathesis to draw fields from (its ``dictionaries``, bound to body
    and path fields), so requests get past the domain's rules to the outcomes behind them: a random
    body never passes the 统一社会信用代码 check character, the password policy or the standard's
    vocabulary. Without them no request would reach a registration (201), a taken name (409), a
    login (200, then 423), an account (200) or an evaluation (200). Fixed values: runs repeat."""
    words = {**_identity_words(account), **_standard_words(), **_staffing_words()}
    dictionaries = {name: {"values": values} for name, (values, _) in words.items()}
    parameters = {
        binding: {"dictionary": name, "probability": probability}
        for name, (_, bound) in words.items()
        for binding, probability in bound.items()
    }
    # 登录 mostly as ``account``, often with a wrong password: a lockout (423) within the run.
    dictionaries["account_username"] = {"values": [account.form["username"]]}
    dictionaries["login_password"] = {"values": [PASSWORD, "Wrong-pass1", "Wrong-pass2", "Wrong-pass3"]}
    login = {
        "include-operation-id": "LoginWithPassword",
        "generation": {"max-examples": 40},
        "parameters": {
            "body.username": {"dictionary": "account_username", "probability": 0.9},
            "body.password": {"dictionary": "login_password", "probability": 0.9},
        },
    }
    return {"dictionaries": dictionaries, "parameters": parameters, "operations": [login]}


Words = dict[str, tuple[list[str], dict[str, float]]]
"""dictionary name → (its values, {binding key: probability})."""


def _identity_words(account: Account) -> Words:
    """``account``'s own values (taken: 409; its login: 200) and three fresh units' (201)."""
    fresh, form = ("1", "2", "3"), account.form
    return {
        "username": ([form["username"], *(f"unit_contract_{n}" for n in fresh)], {"body.username": 0.8}),
        "unit_name": ([form["unit_name"], *(f"契约测试{n}测绘有限公司" for n in fresh)], {"body.unit_name": 0.8}),
        "credit_code": (
            [form["credit_code"], *(_valid_credit_code(f"91110108MA000000{n}") for n in fresh)],
            {"body.credit_code": 0.8},
        ),
        "password": ([PASSWORD], {"body.password": 0.7, "body.password_confirm": 0.9}),
        "contact_name": (["张三"], {"body.contact_name": 0.8}),
        "mobile": (["13800138000"], {"body.mobile": 0.8}),
        "account_id": ([account.caller.account_id], {"path.account_id": 0.5}),
    }


def _standard_words() -> Words:
    """The published standard's vocabulary: versions, 专业类别, 等级 and 设备类型."""
    catalog = Catalog.from_dir(DEFAULT_DATA_DIR)
    versions = [item.version for item in catalog.versions().versions]
    details = [catalog.detail(version) for version in versions]
    return {
        "version": (versions, {"path.version": 0.7, "body.version": 0.5}),
        "category": (
            sorted({name for detail in details for name in detail.categories}),
            {"body.requests[*].category": 0.9, "body.held[*].category": 0.9, "body.projects[*].category": 0.9},
        ),
        "level": (
            sorted({name for detail in details for name in detail.levels}),
            {"body.requests[*].level": 0.9, "body.held[*].level": 0.9},
        ),
        "equipment_type": (
            sorted({name for detail in details for name in detail.equipment_types}),
            {"body.equipment[*].type": 0.9},
        ),
        "application_date": (["2024-06-01"], {"body.application_date": 0.8}),
    }


def _staffing_words() -> Words:
    """Valid 居民身份证 numbers (a random string never passes the check character): a person is
    added (201), and added again (409)."""
    numbers = [an_id_number(date(1980, 3, 1), seq=101)]
    return {
        "id_number": (numbers, {"body.id_number": 0.9}),
        "title_level": (["高级", "中级"], {"body.title_level": 0.8}),
    }


def _valid_credit_code(body: str) -> str:
    return body + credit_code_check_char(body)


@pytest.fixture
async def start_service(
    settings_for: Callable[..., Any], request: pytest.FixtureRequest
) -> AsyncIterator[Callable[..., Awaitable[str]]]:
    """``await start_service("identity", **settings)``: the service on a free port with its own
    database (real PostgreSQL and NATS), the services it calls (registry ``calls``) started beside
    it, a service that signs on the HSM with the session's test token; its base URL."""
    async with AsyncExitStack() as stack:

        async def start(name: str, **overrides: Any) -> str:
            if entry(name).hsm:  # the registry signs, verifies and publishes its chain with the token
                overrides = {**hsm_settings(request.getfixturevalue("hsm_token")), **overrides}
            calls = entry(name).calls
            if calls:  # the services it calls run beside it and accept its own system tokens
                private, public = generate_keypair()
                accepts = {"service_token_public_keys": f"{name}={public}"}
                urls = {callee: await start(callee, **accepts) for callee in calls}
                overrides = {"internal_token_private_key": private, "service_urls": urls, **overrides}
            module = importlib.import_module(f"services.{name}.app")
            settings = settings_for(module.SPEC.settings_cls, service=name, **overrides)
            return await stack.enter_async_context(serve(module.create_app(settings)))

        yield start


@pytest.fixture(scope="session")
def schemathesis_process() -> Iterator[ProcessPoolExecutor]:
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


@pytest.fixture
def schemathesis_run(schemathesis_process: ProcessPoolExecutor) -> Callable[..., Awaitable[Outcome]]:
    """``await schemathesis_run(document, base_url=…, auth=…, headers=…)``: see ``runner``."""

    async def run(document: dict[str, Any], **options: Any) -> Outcome:
        job = partial(run_schemathesis, document, **options)
        return await asyncio.get_running_loop().run_in_executor(schemathesis_process, job)

    return run


@pytest.fixture
def token(sign: Callable[..., dict[str, str]]) -> Callable[..., str]:
    """``token(service, caller)``: an internal token for ``caller`` minted for ``service``.

    The one place the contract tier mints tokens (the fixture ``sign`` of tests/fixtures/infra.py).
    """

    def mint(service: str, caller: Caller) -> str:
        fields = {name: getattr(caller, name) for name in caller.__struct_fields__}
        return sign(audience=service, **fields)["x-internal-token"]

    return mint


async def register_unit(identity_url: str, system_token: str) -> Account:
    """Register a fresh unit through identity's API (as the gateway does for a visitor)."""
    form = a_registration()
    async with httpx.AsyncClient(base_url=identity_url) as client:
        response = await client.post("/accounts", json=form, headers={"x-internal-token": system_token})
    assert response.status_code == 201, response.text
    body = response.json()
    caller = Caller(account_id=body["account_id"], role="unit", unit_id=body["unit_id"], username=form["username"])
    return Account(form=form, caller=caller)


def operations_of(document: dict[str, Any]) -> set[str]:
    """``{"GET /me", …}``: the operations a document declares, labelled as schemathesis does."""
    return {f"{method.upper()} {path}" for path, item in document.get("paths", {}).items() for method in item}


async def fetch_document(url: str) -> dict[str, Any]:
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


@dataclass(frozen=True)
class Session:
    """A signed-in browser's credentials: the session cookie's value and the session's CSRF token."""

    account: Account
    cookie: str
    csrf: str


async def signed_in(visitor: Portal) -> Session:
    """Register a fresh unit and log in through the portal's 注册 and 登录 forms, as a browser does."""
    form = a_registration()
    page = await visitor.http.get("/register")
    registered = await visitor.http.post("/register", data={**form, "_csrf": csrf_in(page.text)})
    assert registered.status_code == 303, registered.text
    response = await visitor.login(form["username"], PASSWORD)
    assert response.status_code == 303, response.text
    me = (await visitor.http.get("/api/identity/me")).json()
    caller = Caller(account_id=me["account_id"], role="unit", unit_id=me["unit_id"], username=form["username"])
    cookie = visitor.http.cookies[visitor.gateway.settings.session_cookie]
    return Session(account=Account(form=form, caller=caller), cookie=cookie, csrf=await visitor.session_token())
