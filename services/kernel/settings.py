"""Settings from environment variables, decoded into msgspec Structs with embedded defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Annotated, TypeVar

import msgspec

from .registry import EMBEDDED_NATS_PORT, EMBEDDED_PG_PORT, PROCESSES

__all__ = ["BaseSettings", "SettingsError", "load_settings", "service_urls"]


class SettingsError(RuntimeError):
    """A setting could not be decoded; the message names the environment variable."""


class BaseSettings(msgspec.Struct, kw_only=True, frozen=True):
    """What every service reads. Each field is the lower-case name of one environment variable.

    The defaults are the embedded stack's (``make run``): a local PostgreSQL and nats-server.
    """

    service_name: str = "service"
    host: str = "127.0.0.1"
    port: int = 0
    """0: the registry's port for ``service_name`` (``registry.SERVICES``)."""
    database_url: str = f"postgresql://postgres@127.0.0.1:{EMBEDDED_PG_PORT}/postgres"
    database_name: str = ""
    db_pool_min: int = 1
    db_pool_max: int = 10
    nats_url: str = f"nats://127.0.0.1:{EMBEDDED_NATS_PORT}"
    service_urls: dict[str, str] = msgspec.field(default_factory=dict)
    """Where the other processes listen: ``<NAME>_URL`` per registry entry (default: its port here)."""
    internal_token_public_key: str = ""
    """The gateway's public key (it signs for the portal's visitors)."""
    internal_token_private_key: str = ""
    """This process's own signing key (the gateway's, or a service's for its system calls)."""
    service_token_public_keys: str = ""
    """``name=key,…``: the services' public keys, accepted only for their own system tokens."""
    token_ttl_seconds: Annotated[int, msgspec.Meta(ge=1, le=300)] = 3
    """Lifetime of an internal token: the bound on how long a revoked session still works."""
    token_leeway_seconds: Annotated[int, msgspec.Meta(ge=0, le=30)] = 1
    """Clock difference tolerated between the signer and a verifier."""
    log_level: str = "INFO"
    log_json: bool = True
    workers: int = 1
    embedded: bool = True
    # JetStream streams (``nats.StreamLimits``); the server reserves stream_max_bytes per stream.
    stream_max_age_seconds: Annotated[float, msgspec.Meta(gt=0)] = 365 * 24 * 3600.0
    stream_max_bytes: Annotated[int, msgspec.Meta(gt=0)] = 1 << 30
    stream_replicas: Annotated[int, msgspec.Meta(ge=1, le=5)] = 1
    stream_duplicate_window_seconds: Annotated[float, msgspec.Meta(gt=0)] = 600.0


S = TypeVar("S", bound=BaseSettings)


def _env_name(field: str) -> str:
    return field.upper()


def load_settings(cls: type[S], environ: Mapping[str, str] | None = None, **overrides: object) -> S:
    """Build ``cls`` from the environment (``FIELD_NAME`` per field) plus explicit overrides.

    A bad value fails with a message naming the variable, e.g. ``PORT: Expected `int`, got `str```.
    """
    env = os.environ if environ is None else environ
    raw: dict[str, object] = {}
    for field in cls.__struct_fields__:
        name = _env_name(field)
        if name in env:
            raw[field] = env[name]
    if "service_urls" not in overrides:
        raw["service_urls"] = service_urls(env)
    raw.update(overrides)
    try:
        settings = msgspec.convert(raw, cls, strict=False)
    except msgspec.ValidationError as exc:
        raise SettingsError(_name_variable(str(exc))) from None
    if settings.port == 0 and "port" not in overrides:
        known = {process.name: process.port for process in PROCESSES}
        if settings.service_name in known:
            settings = msgspec.structs.replace(settings, port=known[settings.service_name])
    return settings


def service_urls(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """``{name: base URL}`` of every process in the registry: ``<NAME>_URL``, else its port here."""
    env = os.environ if environ is None else environ
    return {
        process.name: env.get(f"{process.name.upper()}_URL", f"http://127.0.0.1:{process.port}").rstrip("/")
        for process in PROCESSES
    }


def _name_variable(message: str) -> str:
    # msgspec reports the failing path as `$.field`; turn it into the variable's name.
    if "$." in message:
        head, _, path = message.rpartition("$.")
        field = path.split(".")[0].split("[")[0].rstrip("`")
        return f"{_env_name(field)}: {head.removesuffix(' - at `').strip()}"
    return message
