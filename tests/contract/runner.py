"""Run schemathesis (its engine, as ``st run`` does) against one OpenAPI document and a base URL.

Every check runs except ``positive_data_acceptance``: a schema-valid body can still break a
domain rule (a 统一社会信用代码 check character, a password class count, an unknown standard
version) and be rightly refused. The run is bounded and reproducible: a fixed seed, derandomized
generation and a few examples per operation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import schemathesis
from schemathesis.engine import events, from_schema

__all__ = ["Outcome", "run_schemathesis"]

SEED = 20_240_611
MAX_EXAMPLES = 10
SKIPPED_CHECKS = ("positive_data_acceptance",)


@dataclass
class Outcome:
    """What one run found: the statuses each operation answered, and the failed checks and errors
    (each with a curl to reproduce)."""

    answered: dict[str, set[int]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def operations(self) -> set[str]:
        return set(self.answered)

    def report(self) -> str:
        return "\n\n".join(self.problems)


def run_schemathesis(
    document: dict[str, Any],
    *,
    base_url: str,
    auth: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    vocabulary: dict[str, Any] | None = None,
    max_examples: int = MAX_EXAMPLES,
) -> Outcome:
    """Blocking: call it in another process than the servers' (see tests/contract/conftest.py).

    ``auth`` maps a security scheme of the document to its value (an API key); ``vocabulary``
    holds schemathesis ``dictionaries`` and the ``parameters`` bound to them: domain-valid values
    the generator draws from, so requests get past the domain's rules to the outcomes behind them.
    """
    settings: dict[str, Any] = {
        "seed": SEED,
        "base-url": base_url,
        "workers": 1,
        "request-timeout": 10,
        "generation": {"max-examples": max_examples, "deterministic": True},
        "checks": {name: {"enabled": False} for name in SKIPPED_CHECKS},
        "warnings": False,
    }
    if headers:
        settings["headers"] = headers
    settings.update(vocabulary or {})
    if auth:
        settings["auth"] = {"openapi": {scheme: {"api_key": value} for scheme, value in auth.items()}}
    config = schemathesis.Config.from_dict(settings)
    schema = schemathesis.openapi.from_dict(document, config=config)
    outcome = Outcome()
    seen: set[tuple[str, str, str]] = set()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            _record(outcome, event, seen)
        elif isinstance(event, events.NonFatalError):
            outcome.problems.append(f"error in {event.label}: {event.value!r}")
        elif isinstance(event, events.FatalError):
            outcome.problems.append(f"schemathesis stopped: {event.exception!r}")
    return outcome


def _record(outcome: Outcome, event: events.ScenarioFinished, seen: set[tuple[str, str, str]]) -> None:
    recorder = event.recorder
    for case_id, node in recorder.cases.items():
        interaction = recorder.interactions.get(case_id)
        statuses = outcome.answered.setdefault(node.value.operation.label, set())
        if interaction is not None and interaction.response is not None:
            statuses.add(interaction.response.status_code)
    for checks in recorder.checks.values():
        for check in checks:
            info = check.failure_info
            if info is None:
                continue
            failure = info.failure
            key = (failure.operation or recorder.label, failure.code, failure.title)
            if key in seen:
                continue
            seen.add(key)
            outcome.problems.append(f"{failure.code} {key[0]}: {failure.title}\n{failure.message}\n{info.code_sample}")
