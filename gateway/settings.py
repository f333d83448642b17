"""GatewaySettings: upstream URLs, transport, timeouts, sessions, cookies, CSRF and rate limits."""

from __future__ import annotations

from typing import Literal

from services.kernel import BaseSettings, load_settings

__all__ = ["GatewaySettings", "load_gateway_settings"]


class GatewaySettings(BaseSettings, frozen=True, kw_only=True):
    """One environment variable per field (the upper-case name); defaults are the embedded stack's."""

    service_name: str = "gateway"
    port: int = 8080

    # Upstream services (``/api/<name>/…`` → ``<NAME>_URL``).
    identity_url: str = "http://127.0.0.1:8101"
    applications_url: str = "http://127.0.0.1:8102"
    registry_url: str = "http://127.0.0.1:8103"
    staffing_url: str = "http://127.0.0.1:8104"
    standards_url: str = "http://127.0.0.1:8105"
    documents_url: str = "http://127.0.0.1:8106"

    # The forwarding client (DESIGN.md "HTTP clients, measured"): aiohttp, or plain httpx to compare.
    gateway_transport: Literal["aiohttp", "httpx"] = "aiohttp"
    upstream_connect_timeout: float = 2.0
    upstream_timeout: float = 30.0
    """Seconds to wait for the response headers, and between two chunks of a body."""
    upstream_pool_size: int = 200
    upstream_keepalive_seconds: float = 15.0
    readiness_timeout: float = 1.0

    # Sessions (server-side, in the gateway's PostgreSQL database).
    session_cookie: str = "qual_session"
    session_idle_seconds: int = 30 * 60
    session_absolute_seconds: int = 8 * 60 * 60
    session_cache_seconds: float = 2.0
    """How long a worker reuses a looked-up session: the bound on revocation delay elsewhere."""
    session_touch_seconds: int = 60
    """Granularity of the idle clock: ``last_seen_at`` is written at most this often."""
    cookie_secure: bool = False
    trust_forwarded: bool = False
    """Honour ``X-Forwarded-Proto`` / ``X-Forwarded-For`` (only behind a trusted reverse proxy)."""

    # Internal identity token minted per session.
    token_ttl_seconds: int = 300
    token_reuse_seconds: float = 60.0

    # CSRF: HMAC key; empty derives it from the internal-token private key (or the embedded one).
    csrf_secret: str = ""

    # Login attempts per sliding window.
    login_limit_per_ip: int = 20
    login_limit_per_username: int = 10
    login_limit_window_seconds: float = 60.0


def load_gateway_settings() -> GatewaySettings:
    """Settings from the environment; a bad value raises SettingsError naming the variable."""
    return load_settings(GatewaySettings)
