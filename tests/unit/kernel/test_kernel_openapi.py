"""Every service's OpenAPI document tells the truth: the one error body, every status an operation
can answer, the codes behind each status, and the internal token as its security scheme (pinned)."""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec
import pytest
from litestar import Litestar, get, post
from litestar.params import FromPath, JSONBody
from litestar.testing import TestClient

from contracts.auth import Caller
from contracts.base import Request
from services.identity.app import create_app as create_identity
from services.identity.settings import IdentitySettings
from services.kernel import (
    BaseSettings,
    ConflictError,
    DomainError,
    ForbiddenError,
    TokenSigner,
    authority_scope,
    load_settings,
    signed_in,
    system_only,
    unit_scope,
)
from services.kernel.auth import dev_keypair
from services.kernel.openapi import SECURITY_SCHEME, refusals
from services.standards.app import create_app as create_standards
from services.standards.settings import StandardsSettings
from tests.fixtures.apps import kernel_app

ERROR_BODY = {"$ref": "#/components/schemas/ErrorBody"}


def document_of(app: Litestar) -> dict[str, Any]:
    """The document as served at /schema/openapi.json (the app is not started: nothing connects)."""
    schema: dict[str, Any] = app.openapi_schema.to_schema()
    return schema


@pytest.fixture(scope="module")
def identity() -> dict[str, Any]:
    return document_of(create_identity(load_settings(IdentitySettings, {}, log_json=False)))


@pytest.fixture(scope="module")
def standards() -> dict[str, Any]:
    return document_of(create_standards(load_settings(StandardsSettings, {}, log_json=False)))


def operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{method.upper()} {path}": op for path, item in document["paths"].items() for method, op in item.items()}


def statuses(document: dict[str, Any]) -> dict[str, set[str]]:
    return {label: set(op["responses"]) for label, op in operations(document).items()}


def test_identity_documents_every_status_each_route_can_answer(identity: dict[str, Any]) -> None:
    assert statuses(identity) == {
        "POST /accounts": {"201", "400", "401", "403", "409", "413", "422", "503"},
        "POST /logins/password": {"200", "400", "401", "403", "409", "413", "422", "423", "503"},
        "GET /me": {"200", "401", "403", "503"},
        "GET /accounts/{account_id}": {"200", "401", "403", "404", "503"},
        "POST /authority-accounts": {"201", "400", "401", "403", "409", "413", "422", "503"},
        "GET /authority-accounts": {"200", "400", "401", "403", "503"},
        "POST /authority-accounts/{account_id}/disable": {"200", "400", "401", "403", "404", "409", "422", "503"},
    }


def test_standards_documents_every_status_each_route_can_answer(standards: dict[str, Any]) -> None:
    assert statuses(standards) == {
        "GET /standards": {"200", "401", "503"},
        "GET /standards/{version}": {"200", "401", "404", "503"},
        "POST /evaluate": {"200", "400", "401", "404", "413", "503"},
    }


@pytest.mark.parametrize("service", ["identity", "standards"])
def test_every_error_response_is_the_error_body_never_litestars(service: str, request: pytest.FixtureRequest) -> None:
    document = request.getfixturevalue(service)
    for label, op in operations(document).items():
        for status, response in op["responses"].items():
            if status.startswith(("4", "5")):
                assert response["content"] == {"application/json": {"schema": ERROR_BODY}}, (label, status)
    assert "status_code" not in str(document["paths"])  # Litestar's {status_code, detail, extra}


def test_the_error_body_components_come_from_the_msgspec_structs(identity: dict[str, Any]) -> None:
    schemas = identity["components"]["schemas"]

    assert schemas["FieldProblem"]["required"] == ["field", "problem"]
    assert schemas["ErrorBody"]["required"] == ["code", "message"]
    assert set(schemas["ErrorBody"]["properties"]) == {"code", "message", "details"}
    assert {"items": {"$ref": "#/components/schemas/FieldProblem"}, "type": "array"} in schemas["ErrorBody"][
        "properties"
    ]["details"]["anyOf"]


def test_every_operation_is_behind_the_internal_token(identity: dict[str, Any], standards: dict[str, Any]) -> None:
    for document in (identity, standards):
        scheme = document["components"]["securitySchemes"][SECURITY_SCHEME]
        assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "x-internal-token")
        for label, op in operations(document).items():
            assert op["security"] == [{SECURITY_SCHEME: []}], label
            assert (
                "`missing_token`, `invalid_token`, `expired_token`, `wrong_audience`"
                in op["responses"]["401"]["description"]
            )


def test_declared_refusals_name_their_codes(identity: dict[str, Any], standards: dict[str, Any]) -> None:
    ops = operations(identity)
    register, login = ops["POST /accounts"]["responses"], ops["POST /logins/password"]["responses"]

    for code in ("identity.unit_name_taken", "identity.credit_code_taken", "identity.username_taken"):
        assert f"`{code}`" in register["409"]["description"]
    for code in ("invalid_input", "identity.invalid_credit_code", "identity.weak_password", "identity.blank_field"):
        assert f"`{code}`" in register["400"]["description"]
    assert "`system_only`" in register["403"]["description"]
    assert "`identity.bad_credentials`" in login["401"]["description"]
    assert "`identity.account_locked`" in login["423"]["description"]
    assert "`signed_in_only`" in ops["GET /me"]["responses"]["403"]["description"]
    assert "`identity.account_not_found`" in ops["GET /accounts/{account_id}"]["responses"]["404"]["description"]
    assert "`standards.unknown_version`" in operations(standards)["POST /evaluate"]["responses"]["404"]["description"]


def test_a_503_asks_to_retry_later(identity: dict[str, Any]) -> None:
    for op in operations(identity).values():
        unavailable = op["responses"]["503"]
        assert unavailable["headers"]["Retry-After"]["required"] is True
        assert "`service_unavailable`" in unavailable["description"]


def test_path_parameters_are_never_empty(identity: dict[str, Any]) -> None:
    (parameter,) = operations(identity)["GET /accounts/{account_id}"]["parameters"]
    assert parameter["schema"] == {"type": "string", "minLength": 1}


def test_an_int_or_float_union_is_any_of_not_one_of(standards: dict[str, Any]) -> None:
    required = standards["components"]["schemas"]["Requirement"]["properties"]["required"]
    assert "oneOf" not in required
    assert {"type": "integer"} in required["anyOf"] and {"type": "number"} in required["anyOf"]


def test_refusals_group_the_leaves_by_status() -> None:
    class TakenError(ConflictError):
        code = "demo.taken"

    class LockedError(DomainError):
        status_code = 423
        code = "demo.locked"

    responses = refusals(TakenError, ConflictError, LockedError)

    assert sorted(responses) == [409, 423]
    assert responses[409].description == "Conflict. ErrorBody code: `demo.taken`, `conflict`."


# --- the kernel's own codes, as its guards and token check really raise them --------------------


class Thing(Request):
    name: str


@get("/guarded/{kind:str}", guards=[system_only, signed_in, unit_scope, authority_scope("approval")])
async def guarded(kind: FromPath[str]) -> str:
    return kind


@post("/things", responses=refusals(ConflictError))
async def create_thing(data: JSONBody[Thing]) -> Thing:
    return data


class Connection:
    def __init__(self, caller: Caller) -> None:
        self.scope: dict[str, Any] = {"state": {"caller": caller}}


def _raised_code(guard: Any, caller: Caller) -> str:
    with pytest.raises(ForbiddenError) as refused:
        asyncio.run(guard(Connection(caller), None))
    return refused.value.code


@pytest.fixture(scope="module")
def demo() -> Litestar:
    return kernel_app(
        BaseSettings(service_name="demo", log_json=False), [guarded, create_thing], database=False, nats=False
    )


def test_a_guarded_route_documents_the_codes_its_guards_raise(demo: Litestar) -> None:
    forbidden = operations(document_of(demo))["GET /guarded/{kind}"]["responses"]["403"]["description"]
    unit = Caller(account_id="a1", role="unit", unit_id="u1")
    system = Caller(account_id="gateway", role="system")
    authority = Caller(account_id="a2", role="authority", jurisdiction="110000")

    raised = {
        _raised_code(system_only, unit),
        _raised_code(signed_in, system),
        _raised_code(unit_scope, system),
        _raised_code(authority_scope("approval"), unit),
        _raised_code(authority_scope("approval"), authority),
    }

    assert raised == {"system_only", "signed_in_only", "unit_only", "authority_only", "role_required"}
    for code in raised:
        assert f"`{code}`" in forbidden


def test_the_served_document_names_every_code_a_refused_token_gets(demo: Litestar) -> None:
    signer = TokenSigner(dev_keypair()[0])
    caller = Caller(account_id="a1", role="unit", unit_id="u1")
    tokens = {
        "none": None,
        "garbled": "not-a-token",
        "expired": signer.sign(caller, audience=["demo"], now=0),
        "for another service": signer.sign(caller, audience=["identity"]),
    }
    with TestClient(demo) as client:
        served = client.get("/schema/openapi.json").json()
        codes = set()
        for token in tokens.values():
            headers = {"x-internal-token": token} if token else {}
            refused = client.post("/things", json={"name": "x"}, headers=headers)
            assert refused.status_code == 401
            codes.add(msgspec.json.decode(refused.content)["code"])

    unauthorized = operations(served)["POST /things"]["responses"]["401"]["description"]
    assert codes == {"missing_token", "invalid_token", "expired_token", "wrong_audience"}
    assert all(f"`{code}`" in unauthorized for code in codes)
    assert operations(served)["POST /things"]["responses"]["409"]["content"]["application/json"]["schema"] == ERROR_BODY


def test_writes_document_the_idempotency_key_where_it_is_honoured(
    identity: dict[str, Any], standards: dict[str, Any]
) -> None:
    def key_of(operation: dict[str, Any]) -> list[dict[str, Any]]:
        return [p for p in operation.get("parameters", ()) if p["name"] == "Idempotency-Key"]

    register = operations(identity)["POST /accounts"]
    [header] = key_of(register)
    assert (header["in"], header["required"], header["schema"]["maxLength"]) == ("header", False, 200)
    assert "idempotency_in_progress" in register["responses"]["409"]["description"]
    assert "idempotency_key_reused" in register["responses"]["422"]["description"]
    assert not key_of(operations(identity)["GET /me"])
    # standards has no database: the key is ignored there, so it is not offered
    assert not key_of(operations(standards)["POST /evaluate"])
