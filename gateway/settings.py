"""GatewaySettings: transport, timeouts, sessions, cookies, CSRF, rate limits, body limit (URLs: the registry)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from services.kernel import BaseSettings, load_settings

__all__ = ["GatewaySettings", "load_gateway_settings"]


class GatewaySettings(BaseSettings, frozen=True, kw_only=True):
    """One environment variable per field (the upper-case name); defaults are the embedded stack's."""

    service_name: str = "gateway"
    port: int = 8080

    # Upstream services: ``/api/<name>/…`` → ``<NAME>_URL`` (``service_urls``, from the registry).

    # The forwarding client (README design notes): ``keepalive`` (the gateway's own client for
    # requests without a body, aiohttp for those with one), aiohttp for all, or plain httpx to compare.
    gateway_transport: Literal["keepalive", "aiohttp", "httpx"] = "keepalive"
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
    session_cache_seconds: float = 1.0
    """How long a worker reuses a looked-up session: the bound on revocation delay elsewhere."""
    session_touch_seconds: int = 60
    """Granularity of the idle clock: ``last_seen_at`` is written at most this often."""
    cookie_secure: bool = False
    trust_forwarded: bool = False
    """Honour ``X-Forwarded-Proto`` / ``X-Forwarded-For`` (only behind a trusted reverse proxy)."""

    # The internal token minted per session and target service: TOKEN_TTL_SECONDS (kernel settings).

    # CSRF: HMAC key; empty derives it from the internal-token private key (or the embedded one).
    csrf_secret: str = ""

    # Login attempts per sliding window.
    login_limit_per_ip: int = 20
    login_limit_per_username: int = 10
    login_limit_window_seconds: float = 60.0

    # Public routes (``/api/<service>/public/…`` without a session): requests per IP per window.
    public_limit_per_ip: Annotated[int, msgspec.Meta(ge=1)] = 60
    public_limit_window_seconds: Annotated[float, msgspec.Meta(gt=0)] = 60.0

    # Request bodies through ``/api`` (manual §5: a scanned document is one file of at most 2 MB).
    upload_max_bytes: Annotated[int, msgspec.Meta(gt=0)] = 2 * 1024 * 1024
    """The largest file a unit may upload: the documents service's ``DOCUMENTS_MAX_BYTES``."""
    upload_envelope_bytes: Annotated[int, msgspec.Meta(ge=0)] = 64 * 1024
    """What ``multipart/form-data`` adds around that file (boundaries, part headers, the purpose).

    The gateway refuses any ``/api`` request body longer than ``upload_max_bytes`` plus this with
    413 ``file_too_large``, and never reads past it: at once when ``Content-Length`` says so, else
    as the bytes stream in. One limit serves every service: the others take small JSON bodies.
    """

    @property
    def api_body_max_bytes(self) -> int:
        """The most bytes of one ``/api`` request body the gateway forwards."""
        return self.upload_max_bytes + self.upload_envelope_bytes


def load_gateway_settings() -> GatewaySettings:
    """Settings from the environment; a bad value raises SettingsError naming the variable."""
    return load_settings(GatewaySettings)
