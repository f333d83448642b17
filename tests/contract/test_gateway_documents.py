"""The gateway's ``/api/<service>`` answers a signed-in browser only what the service's document
says (schemathesis, every check but positive-data acceptance).

The document is the service's own, fetched through the gateway, with what the gateway changes:
behind it a browser is authenticated by the session cookie, not by the internal token (which the
gateway strips from a browser's request and mints itself), so the security scheme becomes the
cookie and ``ignored_auth`` checks that the gateway refuses a request without a valid session; and
a state change must carry the session's ``X-CSRF-Token``, else the gateway answers 403
``csrf_failed`` before the service is asked.
"""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from typing import Any

from gateway.proxy import PUBLIC_PREFIX
from services.kernel.registry import SERVICE_NAMES
from tests.contract.conftest import READ_BY_ANY_UNIT, fetch_document, operations_of, signed_in, vocabulary
from tests.contract.runner import Outcome

SESSION_SCHEME = "session"
STATE_CHANGES = ("post", "put", "patch", "delete")
CSRF_REFUSAL = {
    "description": "Forbidden. ErrorBody code: `csrf_failed` (the gateway: no valid X-CSRF-Token).",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
}


def behind_the_gateway(document: dict[str, Any], cookie: str) -> dict[str, Any]:
    """The service's document as the gateway serves it to a browser: authenticated by ``cookie``
    (a public route, ``/public/…``, also without a session), refusing a state change without the
    CSRF token."""
    document = copy.deepcopy(document)
    components = document.setdefault("components", {})
    components["securitySchemes"] = {SESSION_SCHEME: {"type": "apiKey", "in": "cookie", "name": cookie}}
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            public = path.startswith(PUBLIC_PREFIX)
            operation["security"] = [{SESSION_SCHEME: []}, {}] if public else [{SESSION_SCHEME: []}]
            if method in STATE_CHANGES:
                responses = operation.setdefault("responses", {})
                refused = responses.setdefault("403", copy.deepcopy(CSRF_REFUSAL))
                if refused["description"] != CSRF_REFUSAL["description"]:
                    refused["description"] += " Or `csrf_failed` (the gateway: no valid X-CSRF-Token)."
    return document


async def test_the_gateway_api_answers_only_what_each_service_documents(
    start_service: Callable[..., Awaitable[str]],
    launch: Callable[..., Awaitable[Any]],
    portal: Callable[[Any], Any],
    schemathesis_run: Callable[..., Awaitable[Outcome]],
) -> None:
    gateway = await launch(**{name: await start_service(name) for name in SERVICE_NAMES})
    session = await signed_in(portal(gateway))
    problems: dict[str, str] = {}
    untested: dict[str, set[str]] = {}

    for name in SERVICE_NAMES:
        api = f"{gateway.url}/api/{name}"
        document = await fetch_document(f"{api}/schema/openapi.json")
        document = behind_the_gateway(document, gateway.settings.session_cookie)
        outcome = await schemathesis_run(
            document,
            base_url=api,
            auth={SESSION_SCHEME: session.cookie},
            headers={"x-csrf-token": session.csrf},
            vocabulary=vocabulary(session.account),
        )
        if outcome.problems:
            problems[name] = outcome.report()
        untested[name] = operations_of(document) - outcome.operations
        if name in READ_BY_ANY_UNIT:  # the session was sent and accepted
            assert 200 in outcome.answered[READ_BY_ANY_UNIT[name]], name

    assert problems == {}, "\n\n".join(f"/api/{name} for a signed-in unit:\n{text}" for name, text in problems.items())
    assert untested == {name: set() for name in SERVICE_NAMES}
