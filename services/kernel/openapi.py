"""The truthful OpenAPI document: the one error body and every status each operation can answer.

Litestar documents a success response and, for a route with inputs, its own validation body
(``{status_code, detail, extra}``), which no service sends. ``make_truthful`` rewrites every
operation of a built app once (HTML pages aside), from what the kernel knows about each route:

    400  a body, or a parameter that can be invalid        invalid_input
    401  every operation (behind the internal token)       missing_token, invalid_token, expired_token, wrong_audience
    403  the route has guards                              the kernel guards' codes (system_only, signed_in_only …)
    404  the route has path parameters                     not_found
    413  a body                                            payload_too_large
    503  every operation, with ``Retry-After``             service_unavailable
    409  a write, where ``Idempotency-Key`` is honoured      idempotency_in_progress, _claim_lost, _outcome_unknown
    422  the same                                          idempotency_key_reused

plus the refusals a route declares with ``responses=refusals(LeafError, …)``: each DomainError
leaf adds its ``code`` to the response of its ``status_code`` (409, 423, or one of the above).
Every error response is the ErrorBody (components ``ErrorBody`` and ``FieldProblem``, from the
msgspec Structs). It also declares the internal token as the security scheme, gives path
parameters ``minLength: 1`` (an empty segment never reaches the route) and turns Litestar's
``oneOf`` for ``int | float`` into ``anyOf`` (an integer matches both). A 500 is not documented:
it is a defect whatever the document says, and schemathesis' ``not_a_server_error`` flags it anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from http import HTTPStatus
from typing import Any

import msgspec
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    BaseSchemaObject,
    Components,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Parameter,
    Reference,
    Schema,
    SecurityScheme,
)
from litestar.routes import HTTPRoute

from contracts.errors import ErrorBody, FieldProblem

from .auth import TOKEN_HEADER, service_only, signed_in, system_only, unit_scope
from .errors import DomainError, InvalidInputError, NotFoundError, ServiceUnavailableError
from .idempotency import MAX_KEY_LENGTH

__all__ = ["SECURITY_SCHEME", "Refusal", "make_truthful", "refusals"]

SECURITY_SCHEME = "internalToken"
_REF = "#/components/schemas/{name}"
_JSON = "application/json"
_TOKEN_CODES = ("missing_token", "invalid_token", "expired_token", "wrong_audience")
_GUARD_CODES: dict[object, tuple[str, ...]] = {
    system_only: ("system_only",),
    service_only: ("service_only",),
    signed_in: ("signed_in_only",),
    unit_scope: ("unit_only",),
}
_AUTHORITY_CODES = ("authority_only", "role_required")  # any authority_scope(...) guard
_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_IDEMPOTENCY_CONFLICTS = ("idempotency_in_progress", "idempotency_claim_lost", "idempotency_outcome_unknown")
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass
class Refusal(ResponseSpec):
    """A route's declared refusals of one status: the ErrorBody with the leaves' ``code``s."""

    codes: tuple[str, ...] = ()


def refusals(*leaves: type[DomainError]) -> dict[int, ResponseSpec]:
    """``responses=`` of a route decorator: the DomainError leaves its handler (or guard) raises."""
    codes: dict[int, list[str]] = {}
    for leaf in leaves:
        codes.setdefault(leaf.status_code, []).append(leaf.code)
    return {
        status: Refusal(
            data_container=ErrorBody, generate_examples=False, description=_describe(status, found), codes=tuple(found)
        )
        for status, found in codes.items()
    }


def make_truthful(app: Litestar, *, authenticated: bool = True, idempotent: bool = False) -> None:
    """Rewrite ``app``'s OpenAPI document in place (call once, after the app is built).

    ``authenticated``: every operation sits behind the internal token (the service factory's
    auth middleware), so each documents the security scheme and 401. ``idempotent``: writes honour
    ``Idempotency-Key`` (a service with a database), so each documents the header and its answers.
    """
    document = app.openapi_schema
    components = document.components if isinstance(document.components, Components) else Components()
    document.components = components
    components.schemas.update(error_schemas())
    _any_of_where_numbers_overlap(document)
    if authenticated:
        components.security_schemes = {**(components.security_schemes or {}), SECURITY_SCHEME: _security_scheme()}
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or document.paths is None or route.path_format not in document.paths:
            continue
        path_item = document.paths[route.path_format]
        for handler in route.route_handlers:
            for method in handler.http_methods:
                operation = getattr(path_item, method.lower(), None) if method.lower() in _METHODS else None
                if isinstance(operation, Operation) and _is_api(handler):
                    idempotent_write = idempotent and method.upper() in _WRITES
                    if idempotent_write:
                        _document_idempotency_key(operation)
                    _document_operation(
                        operation, handler, authenticated=authenticated, idempotent_write=idempotent_write
                    )


def error_schemas() -> dict[str, Schema]:
    """Components ``ErrorBody`` and ``FieldProblem`` from the msgspec Structs; ``details`` spelt out."""
    _, found = msgspec.json.schema_components((ErrorBody, FieldProblem), ref_template=_REF)
    found["ErrorBody"]["properties"]["details"] = {
        "description": "null, the field problems ([{field, problem}]) or an object the code documents",
        "anyOf": [
            {"type": "null"},
            {"type": "array", "items": {"$ref": _REF.format(name="FieldProblem")}},
            {"type": "object"},
        ],
    }
    return {name: _as_schema(node) for name, node in found.items()}


def _as_schema(node: dict[str, Any]) -> Schema:
    """A JSON Schema dict (as msgspec writes it) as Litestar's OpenAPI dataclasses."""
    attributes: dict[str, Any] = {}
    for key, value in node.items():
        name = re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower()  # anyOf -> any_of
        if key == "type":
            value = OpenAPIType(value)
        elif key == "properties":
            value = {prop: _as_node(sub) for prop, sub in value.items()}
        elif key in ("anyOf", "oneOf", "allOf"):
            value = [_as_node(sub) for sub in value]
        elif key == "items":
            value = _as_node(value)
        attributes[name] = value
    return Schema(**attributes)


def _as_node(node: dict[str, Any]) -> Schema | Reference:
    return Reference(ref=node["$ref"]) if "$ref" in node else _as_schema(node)


def _any_of_where_numbers_overlap(node: object) -> None:
    """Litestar writes a union as ``oneOf``; for ``int | float`` an integer then matches two of its
    schemas, which ``oneOf`` forbids: such a union is an ``anyOf``."""
    if isinstance(node, Schema) and node.one_of:
        types = {getattr(option, "type", None) for option in node.one_of}
        if {OpenAPIType.INTEGER, OpenAPIType.NUMBER} <= types:
            node.any_of, node.one_of = node.one_of, None
    if isinstance(node, BaseSchemaObject):
        for item in fields(node):
            _any_of_where_numbers_overlap(getattr(node, item.name))
    elif isinstance(node, list | tuple):
        for value in node:
            _any_of_where_numbers_overlap(value)
    elif isinstance(node, dict):
        for value in node.values():
            _any_of_where_numbers_overlap(value)


def _security_scheme() -> SecurityScheme:
    return SecurityScheme(
        type="apiKey",
        name=TOKEN_HEADER,
        security_scheme_in="header",
        description="The short-lived internal identity token the gateway signs for the caller (Ed25519).",
    )


def _document_idempotency_key(operation: Operation) -> None:
    """The optional ``Idempotency-Key`` header (its refusals come with the kernel's statuses)."""
    header = Parameter(
        name="Idempotency-Key",
        param_in="header",
        required=False,
        description="A retry with the same key replays the first response and has no second effect.",
        schema=Schema(type=OpenAPIType.STRING, min_length=1, max_length=MAX_KEY_LENGTH),
    )
    operation.parameters = [*(operation.parameters or ()), header]


def _is_api(handler: HTTPRouteHandler) -> bool:
    """A page (HTML) answers errors with a page; any other route with the ErrorBody."""
    return str(getattr(handler.media_type, "value", handler.media_type)) != "text/html"


def _document_operation(
    operation: Operation, handler: HTTPRouteHandler, *, authenticated: bool, idempotent_write: bool
) -> None:
    statuses = _kernel_statuses(operation, handler, authenticated=authenticated)
    if idempotent_write:
        statuses[409] = [*statuses.get(409, []), *_IDEMPOTENCY_CONFLICTS]
        statuses[422] = [*statuses.get(422, []), "idempotency_key_reused"]
    for status, spec in (handler.responses or {}).items():
        if isinstance(spec, Refusal):
            statuses.setdefault(status, []).extend(spec.codes)
    responses = {
        code: response for code, response in (operation.responses or {}).items() if not code.startswith(("4", "5"))
    }
    for status in sorted(statuses):
        responses[str(status)] = _error_response(status, statuses[status])
    operation.responses = responses
    if authenticated:
        operation.security = [{SECURITY_SCHEME: []}]
    for parameter in operation.parameters or ():
        _never_empty_in_path(parameter)


def _kernel_statuses(operation: Operation, handler: HTTPRouteHandler, *, authenticated: bool) -> dict[int, list[str]]:
    """What the kernel itself may answer for this operation, by status."""
    statuses: dict[int, list[str]] = {503: [ServiceUnavailableError.code]}
    if operation.request_body is not None or any(_can_be_invalid(p) for p in operation.parameters or ()):
        statuses[400] = [InvalidInputError.code]
    if operation.request_body is not None:
        statuses[413] = ["payload_too_large"]
    if authenticated:
        statuses[401] = list(_TOKEN_CODES)
    guards = [guard for layer in handler.ownership_layers for guard in (layer.guards or ())]
    if guards:
        statuses[403] = [code for guard in guards for code in _guard_codes(guard)]
    if any(isinstance(p, Parameter) and p.param_in == "path" for p in operation.parameters or ()):
        statuses[404] = [NotFoundError.code]
    return statuses


def _guard_codes(guard: object) -> tuple[str, ...]:
    if guard in _GUARD_CODES:
        return _GUARD_CODES[guard]
    if getattr(guard, "__name__", "").startswith("authority_scope"):
        return _AUTHORITY_CODES
    return ("forbidden",)


def _can_be_invalid(parameter: Parameter | Reference) -> bool:
    """Any query, header or cookie parameter, or a path parameter that is not plain text (a pattern,
    or one of a few values: ``/public/trust/{file}``)."""
    if not isinstance(parameter, Parameter) or parameter.param_in != "path":
        return True
    schema = parameter.schema
    plain = isinstance(schema, Schema) and schema.type == OpenAPIType.STRING and schema.pattern is None
    return not (plain and isinstance(schema, Schema) and not schema.enum)


def _never_empty_in_path(parameter: Parameter | Reference) -> None:
    """An empty path segment never reaches the operation: say so, so clients never send one."""
    if not (isinstance(parameter, Parameter) and parameter.param_in == "path"):
        return
    if isinstance(parameter.schema, Schema) and parameter.schema.type == OpenAPIType.STRING:
        parameter.schema.min_length = parameter.schema.min_length or 1


def _error_response(status: int, codes: list[str]) -> OpenAPIResponse:
    headers: dict[str, OpenAPIHeader | Reference] | None = None
    if status == 503:
        headers = {
            "Retry-After": OpenAPIHeader(
                schema=Schema(type=OpenAPIType.INTEGER, minimum=0),
                description="Seconds to wait before trying again.",
                required=True,
            )
        }
    return OpenAPIResponse(
        description=_describe(status, list(dict.fromkeys(codes))),
        headers=headers,
        content={_JSON: OpenAPIMediaType(schema=Reference(ref=_REF.format(name="ErrorBody")))},
    )


def _describe(status: int, codes: list[str]) -> str:
    return f"{HTTPStatus(status).phrase}. ErrorBody code: {', '.join(f'`{code}`' for code in codes)}."
