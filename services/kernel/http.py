"""ServiceClient: the one typed client for calls between processes (the portal's and every service's).

One pooled aiohttp session per process (aiohttp's own client: the fastest measured here, see the
README's design notes), opened in the lifespan. Every call carries an internal token — the
caller's own (forwarded, when the target is in its audience) or this process's system token —
and the W3C trace context; it encodes the request Struct and decodes the answer into the
response Struct. One rule for failures:

* the target refused (4xx with the ErrorBody): the same status, code, message, details and
  ``Retry-After``, raised as the kernel's leaf for that status, so a page shows the service's words;
* the target is unavailable (503 with the ErrorBody, e.g. its database is down): 503, its words;
* anything else that went wrong upstream — no connection, a broken or undecodable answer, another
  5xx — 502 ``upstream_unavailable``; no answer in time, 504 ``upstream_timeout``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, TypeVar

import aiohttp
import msgspec
from opentelemetry import trace

from contracts.errors import ErrorBody

from . import telemetry
from .auth import TOKEN_HEADER, service_caller
from .errors import (
    ConflictError,
    DomainError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    ServiceUnavailableError,
    TooManyRequestsError,
    UnauthorizedError,
    UpstreamError,
)
from .registry import audience_for
from .tokens import TokenMinter

__all__ = ["ServiceClient", "refusal_from"]

logger = logging.getLogger(__name__)
T = TypeVar("T")
_encoder = msgspec.json.Encoder()
_tracer = telemetry.tracer("qual.kernel.http")
_error_decoder = msgspec.json.Decoder(ErrorBody)
_decoders: dict[Any, msgspec.json.Decoder[Any]] = {}
_LEAVES: dict[int, type[DomainError]] = {
    400: InvalidInputError,
    401: UnauthorizedError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    429: TooManyRequestsError,
    503: ServiceUnavailableError,
}


def _decoder(kind: Any) -> msgspec.json.Decoder[Any]:
    found = _decoders.get(kind)
    if found is None:
        found = _decoders[kind] = msgspec.json.Decoder(kind)
    return found


def refusal_from(service: str, status: int, body: bytes, headers: Mapping[str, str]) -> DomainError:
    """The DomainError for an upstream answer ``status`` ≥ 400 (the module's rule)."""
    try:
        error = _error_decoder.decode(body)
    except msgspec.DecodeError:
        logger.warning("%s answered %s without the error body", service, status)
        return UpstreamError.unavailable(service)
    if status >= 500 and status != 503:
        logger.warning("%s failed with %s %s", service, status, error.code)
        return UpstreamError.unavailable(service)
    kept = {"Retry-After": headers["Retry-After"]} if "Retry-After" in headers else None
    leaf = _LEAVES.get(status, DomainError)
    return leaf(error.message, code=error.code, status_code=status, details=error.details, headers=kept)


class ServiceClient:
    """Calls the platform's services by name (``SERVICE_URLS`` from the registry)."""

    def __init__(
        self,
        *,
        urls: Mapping[str, str],
        minter: TokenMinter,
        timeout: float = 10.0,
        connect_timeout: float = 2.0,
        pool_size: int = 100,
    ) -> None:
        self._urls = dict(urls)
        self._minter = minter
        self._timeout = aiohttp.ClientTimeout(total=timeout, connect=connect_timeout)
        self._pool_size = pool_size
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                timeout=self._timeout,
                cookie_jar=aiohttp.DummyCookieJar(),
            )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def minter(self) -> TokenMinter:
        """The process's token minter (the gateway mints its visitors' tokens with it too)."""
        return self._minter

    def system_token(self, service: str) -> str:
        """This process's own token for a call to ``service``."""
        issuer = self._minter.signer.issuer
        return self._minter.token("\x00system", service_caller(issuer), audience=audience_for(service))

    async def call(
        self,
        service: str,
        method: str,
        path: str,
        *,
        response_type: type[T],
        body: Any = None,
        token: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> T:
        """Send ``body`` (a Struct, as JSON) to ``service``; decode a 2xx answer as ``response_type``.

        ``token``: the caller's internal token to forward; without it, this process's system token.
        """
        sent = {
            TOKEN_HEADER: token or self.system_token(service),
            "accept": "application/json",
            **(headers or {}),
        }
        if body is not None:
            sent["content-type"] = "application/json"
        with _tracer.start_as_current_span(f"{method} {service}", kind=trace.SpanKind.CLIENT) as span:
            telemetry.inject_headers(sent)
            status, data, answer_headers = await self._exchange(service, method, path, sent, body)
            span.set_attribute("http.status_code", status)
        if status >= 400:
            raise refusal_from(service, status, data, answer_headers)
        try:
            result: T = _decoder(response_type).decode(data)
        except (msgspec.DecodeError, msgspec.ValidationError):
            logger.warning("%s answered %s %s with an unexpected body", service, method, path)
            raise UpstreamError.unavailable(service) from None
        return result

    async def _exchange(
        self, service: str, method: str, path: str, headers: dict[str, str], body: Any
    ) -> tuple[int, bytes, Mapping[str, str]]:
        if self._session is None:
            raise RuntimeError("the service client is not started (the app lifespan starts it)")
        url = self._urls.get(service)
        if url is None:
            raise KeyError(f"no URL for service {service!r}")
        content = _encoder.encode(body) if body is not None else None
        try:
            async with self._session.request(method, url + path, data=content, headers=headers) as response:
                return response.status, await response.read(), response.headers
        except TimeoutError:
            logger.warning("%s timed out: %s %s", service, method, path)
            raise UpstreamError.timed_out() from None
        except (aiohttp.ClientError, OSError) as exc:
            logger.warning("%s unavailable: %s %s (%s)", service, method, path, exc)
            raise UpstreamError.unavailable(service) from None
