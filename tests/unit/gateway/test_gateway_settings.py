"""GatewaySettings: defaults, one environment variable per field, errors naming the variable."""

from __future__ import annotations

import pytest

from gateway.settings import GatewaySettings
from gateway.upstreams import Upstreams
from services.kernel import SettingsError, load_settings
from services.kernel.registry import SERVICE_NAMES


def test_the_defaults_are_the_embedded_stacks() -> None:
    settings = load_settings(GatewaySettings, {})

    assert (settings.service_name, settings.port, settings.gateway_transport) == ("gateway", 8080, "keepalive")
    assert Upstreams(settings).base_urls == {
        "identity": "http://127.0.0.1:8101",
        "applications": "http://127.0.0.1:8102",
        "registry": "http://127.0.0.1:8103",
        "staffing": "http://127.0.0.1:8104",
        "standards": "http://127.0.0.1:8105",
        "documents": "http://127.0.0.1:8106",
    }
    assert (settings.session_idle_seconds, settings.session_absolute_seconds) == (1800, 8 * 3600)


def test_each_variable_sets_its_field() -> None:
    env = {
        "GATEWAY_TRANSPORT": "httpx",
        "IDENTITY_URL": "http://identity.internal:80/",
        "PORT": "9000",
        "COOKIE_SECURE": "true",
        "LOGIN_LIMIT_PER_IP": "5",
    }
    settings = load_settings(GatewaySettings, env)

    assert settings.gateway_transport == "httpx"
    assert Upstreams(settings).base_urls["identity"] == "http://identity.internal:80"
    assert (settings.port, settings.cookie_secure, settings.login_limit_per_ip) == (9000, True, 5)
    assert set(Upstreams(settings).base_urls) == set(SERVICE_NAMES)


def test_a_bad_transport_names_the_variable() -> None:
    with pytest.raises(SettingsError, match="GATEWAY_TRANSPORT"):
        load_settings(GatewaySettings, {"GATEWAY_TRANSPORT": "urllib"})
