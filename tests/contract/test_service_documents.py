"""Every service answers only what its ``/schema/openapi.json`` documents (schemathesis, every check
but positive-data acceptance), called directly with a valid internal token.

identity is run twice: as the gateway's anonymous visitor (``system``: 注册, 登录) and as a
registered unit (its own account); the others with any unit's token. The skeleton services
document no operation yet; they are run all the same, so their first routes are covered the day
they land.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from contracts.auth import Caller
from services.kernel.openapi import SECURITY_SCHEME
from services.kernel.registry import SERVICE_NAMES
from tests.builders.identity import a_registration
from tests.contract.conftest import READ_BY_ANY_UNIT, Account, fetch_document, operations_of, register_unit, vocabulary
from tests.contract.runner import Outcome

SETTINGS = {"identity": {"login_max_failures": 2}}  # a lockout (423) within a few wrong passwords
REACHED = {  # domain outcomes the visitor's run must reach, else the vocabulary no longer gets there
    "identity": {"POST /accounts": {201, 409}, "POST /logins/password": {200, 423}},
    "staffing": {"POST /persons": {201, 409}},
}
VISITOR = Caller(account_id="gateway", role="system")
ANY_UNIT = Account(
    form=a_registration(),
    caller=Caller(account_id="00000000-0000-0000-0000-000000000001", role="unit", unit_id="u1"),
)


@pytest.mark.parametrize("name", SERVICE_NAMES)
async def test_the_service_answers_only_what_it_documents(
    name: str,
    start_service: Callable[..., Awaitable[str]],
    token: Callable[..., str],
    schemathesis_run: Callable[..., Awaitable[Outcome]],
) -> None:
    url = await start_service(name, **SETTINGS.get(name, {}))
    account = await register_unit(url, token(name, VISITOR)) if name == "identity" else ANY_UNIT
    callers = [VISITOR, account.caller] if name == "identity" else [ANY_UNIT.caller]
    document = await fetch_document(f"{url}/schema/openapi.json")

    for caller in callers:
        auth = {SECURITY_SCHEME: token(name, caller)}
        outcome = await schemathesis_run(document, base_url=url, auth=auth, vocabulary=vocabulary(account))

        assert outcome.problems == [], f"{name} as {caller.role}:\n{outcome.report()}"
        assert outcome.operations == operations_of(document)
        if caller.role == "unit" and name in READ_BY_ANY_UNIT:  # the token was sent and accepted
            assert 200 in outcome.answered[READ_BY_ANY_UNIT[name]]
        if caller is VISITOR or name != "identity":
            for operation, statuses in REACHED.get(name, {}).items():
                assert statuses <= outcome.answered[operation], operation
