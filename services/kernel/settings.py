"""Settings from environment variables, decoded into msgspec Structs with embedded defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TypeVar

import msgspec

__all__ = ["BaseSettings", "SettingsError", "load_settings"]


class SettingsError(RuntimeError):
    """A setting could not be decoded; the message names the environment variable."""


class BaseSettings(msgspec.Struct, kw_only=True, frozen=True):
    """What every service reads. Each field is the lower-case name of one environment variable.

    The defaults are the embedded stack's (``make run``): a local PostgreSQL and nats-server.
    """

    service_name: str = "service"
    host: str = "127.0.0.1"
    port: int = 0
    database_url: str = "postgresql://postgres@127.0.0.1:55432/postgres"
    database_name: str = ""
    db_pool_min: int = 1
    db_pool_max: int = 10
    nats_url: str = "nats://127.0.0.1:54222"
    internal_token_public_key: str = ""
    internal_token_private_key: str = ""
    log_level: str = "INFO"
    log_json: bool = True
    workers: int = 1
    embedded: bool = True


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
    raw.update(overrides)
    try:
        return msgspec.convert(raw, cls, strict=False)
    except msgspec.ValidationError as exc:
        raise SettingsError(_name_variable(str(exc))) from None


def _name_variable(message: str) -> str:
    # msgspec reports the failing path as `$.field`; turn it into the variable's name.
    if "$." in message:
        head, _, path = message.rpartition("$.")
        field = path.split(".")[0].split("[")[0].rstrip("`")
        return f"{_env_name(field)}: {head.removesuffix(' - at `').strip()}"
    return message
