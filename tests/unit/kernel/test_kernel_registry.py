"""The registry is the one list of processes and ports: every service's spec, run on its own with
no settings but its secrets (``python -m services.<name>``), listens on its registry port."""

from __future__ import annotations

import importlib

import pytest

from gateway.settings import GatewaySettings
from services.kernel import load_settings
from services.kernel.registry import EMBEDDED_NATS_PORT, EMBEDDED_PG_PORT, GATEWAY, PROCESSES, SERVICES, audience_for
from services.staffing.protection import generate_key

EPHEMERAL_LOW = 32768


@pytest.mark.parametrize("service", SERVICES, ids=lambda service: service.name)
def test_a_service_on_its_own_listens_on_its_registry_port(service: object) -> None:
    spec = importlib.import_module(f"{service.module}.app").SPEC  # type: ignore[attr-defined]
    secrets = {variable: generate_key() for variable in service.secrets}  # type: ignore[attr-defined]
    settings = spec.settings(secrets)  # the launcher generates a service's secrets (staffing's keys)

    assert (settings.service_name, settings.port) == (service.name, service.port)  # type: ignore[attr-defined]
    assert settings.service_urls == {process.name: f"http://127.0.0.1:{process.port}" for process in PROCESSES}


def test_the_gateway_on_its_own_listens_on_its_registry_port() -> None:
    assert load_settings(GatewaySettings, {}).port == GATEWAY.port


def test_a_services_url_comes_from_its_variable() -> None:
    settings = load_settings(GatewaySettings, {"STAFFING_URL": "http://staffing.internal:80/"})

    assert settings.service_urls["staffing"] == "http://staffing.internal:80"


def test_ports_are_distinct_and_below_the_ephemeral_range() -> None:
    ports = [process.port for process in PROCESSES] + [EMBEDDED_PG_PORT, EMBEDDED_NATS_PORT]

    assert len(set(ports)) == len(ports)
    assert all(port < EPHEMERAL_LOW for port in ports)
    assert not {5432, 4222} & set(ports)


def test_a_service_calls_only_services_of_the_registry() -> None:
    names = {service.name for service in SERVICES}
    for service in SERVICES:
        assert set(service.calls) <= names - {service.name}
        assert audience_for(service.name)[0] == service.name
