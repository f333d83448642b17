"""The error tree every service raises and the one error body every 4xx/5xx carries.

    DomainError (400, code given by the leaf)
     ├── InvalidInputError        400  invalid_input
     ├── UnauthorizedError        401  unauthorized
     ├── ForbiddenError           403  forbidden
     ├── NotFoundError            404  not_found
     ├── ConflictError            409  conflict
     ├── TooManyRequestsError     429  too_many_requests
     ├── UpstreamError            502/504  upstream_unavailable / upstream_timeout
     └── ServiceUnavailableError  503  service_unavailable (with ``Retry-After``)

A dependency that is down — PostgreSQL or NATS unreachable, a connection lost, the pool or a
JetStream reply timing out — is not a bug: whatever the handler raised for it becomes
``ServiceUnavailableError`` (503, ``Retry-After``, logged as a one-line warning). Anything else
raised by a handler becomes 500 ``internal`` with a generic Chinese message; the exception is
logged with the trace id, never echoed to the caller.
"""

from __future__ import annotations

import errno
import logging
import re
import socket
from typing import Any

import asyncpg
import nats.errors
import nats.js.errors
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException

from contracts.errors import ErrorBody, FieldProblem

__all__ = [
    "RETRY_AFTER_SECONDS",
    "ConflictError",
    "DomainError",
    "ForbiddenError",
    "InvalidInputError",
    "NotFoundError",
    "ServiceUnavailableError",
    "TooManyRequestsError",
    "UnauthorizedError",
    "UpstreamError",
    "error_response",
    "exception_handlers",
    "is_outage",
    "outage_of",
]

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """A refusal a caller can understand: stable ``code``, HTTP status and a Chinese message."""

    status_code: int = 400
    code: str = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status_code: int | None = None,
        details: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.headers = headers
        self.message = message
        if code is not None:
            self.code = code
        if status_code is not None:
            self.status_code = status_code
        self.details = details


class InvalidInputError(DomainError):
    status_code = 400
    code = "invalid_input"


class UnauthorizedError(DomainError):
    status_code = 401
    code = "unauthorized"


class ForbiddenError(DomainError):
    status_code = 403
    code = "forbidden"


class NotFoundError(DomainError):
    status_code = 404
    code = "not_found"


class ConflictError(DomainError):
    status_code = 409
    code = "conflict"


class TooManyRequestsError(DomainError):
    status_code = 429
    code = "too_many_requests"


class UpstreamError(DomainError):
    """The one rule for a service that could not be reached or answered nonsense (502), or did not
    answer in time (504): the kernel's client and the gateway's proxy both raise these."""

    status_code = 502
    code = "upstream_unavailable"

    @classmethod
    def unavailable(cls, service: str | None = None) -> UpstreamError:
        return cls(UNAVAILABLE_MESSAGE, details={"service": service} if service else None)

    @classmethod
    def timed_out(cls) -> UpstreamError:
        return cls("服务响应超时，请稍后再试", code="upstream_timeout", status_code=504)


RETRY_AFTER_SECONDS = 5
"""What a 503 asks the caller to wait before trying again (``Retry-After``)."""
UNAVAILABLE_MESSAGE = "服务暂时不可用，请稍后再试"


class ServiceUnavailableError(DomainError):
    """A dependency (the database, NATS) is down for now: the caller may retry after a few seconds."""

    status_code = 503
    code = "service_unavailable"

    def __init__(self, message: str = UNAVAILABLE_MESSAGE, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"Retry-After": str(RETRY_AFTER_SECONDS)})
        super().__init__(message, **kwargs)


_STATUS_MESSAGES = {
    400: ("bad_request", "请求格式不正确"),
    401: ("unauthorized", "请先登录"),
    403: ("forbidden", "无权进行此操作"),
    404: ("not_found", "请求的资源不存在"),
    405: ("method_not_allowed", "不支持该请求方法"),
    409: ("conflict", "请求与当前状态冲突"),
    413: ("payload_too_large", "提交的内容过大"),
    415: ("unsupported_media_type", "不支持的内容类型"),
    429: ("too_many_requests", "请求过于频繁，请稍后再试"),
}
INTERNAL_MESSAGE = "系统繁忙，请稍后再试"


def error_response(body: ErrorBody, status_code: int, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(content=body, status_code=status_code, media_type=MediaType.JSON, headers=headers)


def _domain_error(_: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    body = ErrorBody(code=exc.code, message=exc.message, details=exc.details)
    return error_response(body, exc.status_code, exc.headers)


def _validation_error(_: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    problems = [_field_problem(item) for item in (exc.extra or []) if isinstance(item, dict)]
    if problems:
        first = problems[0]
        message = f"输入有误：{first.field} {first.problem}" if first.field else f"输入有误：{first.problem}"
    else:
        message = "请求格式不正确，请检查提交的数据"
    return error_response(ErrorBody(code="invalid_input", message=message, details=problems or None), 400)


def _field_problem(item: dict[str, Any]) -> FieldProblem:
    text = str(item.get("message", ""))
    if item.get("key") == "data" and text == "'data'":  # no body at all
        return FieldProblem(field="", problem="请求内容为空")
    path = "$"
    if " - at `" in text:
        text, _, at = text.partition(" - at `")
        path = at.rstrip("`")
    elif item.get("key") and item.get("key") != "data":
        path = f"$.{item['key']}"
    named = re.search(r"field `([^`]+)`", text)
    if named:  # a missing or unknown field is named inside the message, relative to the path
        path = f"{path}.{named.group(1)}"
    return FieldProblem(field="" if path == "$" else path, problem=_translate(text))


def _translate(problem: str) -> str:
    table = (
        ("Object missing required field", "缺少必填字段"),
        ("Object contains unknown field", "包含未知字段"),
        ("length", "长度不符合要求"),
        ("Invalid enum value", "取值不在允许范围内"),
        ("Expected `str` matching regex", "格式不正确"),
        ("Expected", "类型或取值不符合要求"),
        ("JSON is malformed", "JSON 格式错误"),
        ("Input data was truncated", "JSON 格式错误"),
    )
    for needle, chinese in table:
        if needle in problem:
            return f"{chinese}（{problem}）"
    return problem


def _http_exception(_: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    code, message = _STATUS_MESSAGES.get(exc.status_code, ("error", "请求无法完成"))
    if exc.status_code == 400:  # the body could not be parsed at all (malformed JSON, bad form data)
        code, message = "invalid_input", "请求格式不正确，请检查提交的数据"
    headers = exc.headers
    if exc.status_code == 503:
        code, message = ServiceUnavailableError.code, UNAVAILABLE_MESSAGE
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS), **(headers or {})}
    elif exc.status_code >= 500:
        logger.error("http exception %s: %s", exc.status_code, exc.detail)
        code, message = "internal", INTERNAL_MESSAGE
    return error_response(ErrorBody(code=code, message=message, details=None), exc.status_code, headers)


def _unstorable_text(_: Request[Any, Any, Any], exc: asyncpg.CharacterNotInRepertoireError) -> Response[Any]:
    """PostgreSQL cannot store some characters (a NUL byte): refused, and the transaction rolled back."""
    logger.info("refused text the database cannot store: %s", exc)
    message = "输入包含无法保存的字符（如空字符），请检查后重新提交"
    return error_response(ErrorBody(code="invalid_input", message=message, details=None), 400)


def _too_deep(request: Request[Any, Any, Any], exc: RecursionError) -> Response[Any]:
    """msgspec refuses a body nested beyond its depth limit with RecursionError: the client's fault."""
    if "deserializing" not in str(exc):
        return _unexpected(request, exc)
    problem = FieldProblem(field="", problem="数据嵌套层级过深")
    message = "请求格式不正确：数据嵌套层级过深"
    return error_response(ErrorBody(code="invalid_input", message=message, details=[problem]), 400)


# What asyncpg and nats-py raise while PostgreSQL or NATS is down (tried against both stopped):
# connecting to a stopped PostgreSQL → ConnectionRefusedError; a query in flight when it stops →
# ConnectionDoesNotExistError; while it starts or stops → CannotConnectNowError; a JetStream
# publish or request while NATS is down → nats.errors.TimeoutError (a TimeoutError).
_OUTAGES: tuple[type[BaseException], ...] = (
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.ConnectionFailureError,
    asyncpg.ClientCannotConnectError,
    asyncpg.ConnectionRejectionError,
    asyncpg.TransactionResolutionUnknownError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
    ConnectionError,  # refused, reset, aborted, broken pipe
    socket.gaierror,  # the server's host name does not resolve
    TimeoutError,  # pool acquire, connect, a JetStream reply (nats.errors.TimeoutError is one)
    nats.errors.NoRespondersError,
    nats.errors.ConnectionClosedError,
    nats.errors.ConnectionReconnectingError,
    nats.errors.ConnectionDrainingError,
    nats.errors.NoServersError,
    nats.errors.StaleConnectionError,
    nats.errors.OutboundBufferLimitError,
    nats.js.errors.ServiceUnavailableError,
    nats.js.errors.NoStreamResponseError,
)
_NETWORK_ERRNOS = frozenset(
    {errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ENETDOWN, errno.EHOSTDOWN, errno.EADDRNOTAVAIL, errno.ETIMEDOUT}
)
# asyncpg 0.32 returns a pooled connection the server closed to the pool at once: its holder's
# next call says "released back to the pool", a transaction on it "connection is closed". A
# use-after-release bug says the same, so these count as an outage only when what they were
# raised from is one, or the pool has no live connection left (all gone: the server is down).
_CONNECTION_GONE = re.compile(r"connection (has been released back to the pool|is closed)")


def is_outage(exc: BaseException, *, pool: asyncpg.Pool[Any] | None = None) -> bool:
    """Whether ``exc`` says a dependency is down (503) rather than that the code is wrong (500)."""
    link: BaseException | None = exc
    while link is not None:
        if isinstance(link, _OUTAGES) or (isinstance(link, OSError) and link.errno in _NETWORK_ERRNOS):
            return True
        if not (isinstance(link, asyncpg.InterfaceError) and _CONNECTION_GONE.search(str(link))):
            return False
        link = link.__cause__ or link.__context__
    return pool is not None and pool.get_size() == 0


def _pool_of(request: Request[Any, Any, Any]) -> asyncpg.Pool[Any] | None:
    runtime = request.app.state.get("runtime")
    pool = getattr(runtime, "pool", None)
    return pool if isinstance(pool, asyncpg.Pool) else None


def outage_of(request: Request[Any, Any, Any], exc: Exception) -> ServiceUnavailableError | None:
    """The 503 to answer when ``exc`` says a dependency is down (logged once as a warning), else None."""
    if isinstance(exc, ServiceUnavailableError):
        return exc
    if not is_outage(exc, pool=_pool_of(request)):
        return None
    logger.warning("dependency unavailable, answered 503: %s: %s", type(exc).__name__, exc)
    return ServiceUnavailableError()


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    outage = outage_of(request, exc)
    if outage is not None:
        return _domain_error(request, outage)
    logger.exception("unhandled error", exc_info=exc)
    return error_response(ErrorBody(code="internal", message=INTERNAL_MESSAGE, details=None), 500)


def exception_handlers() -> dict[Any, Any]:
    """The mapping every app factory installs, narrowest first."""
    return {
        DomainError: _domain_error,
        ValidationException: _validation_error,
        HTTPException: _http_exception,
        RecursionError: _too_deep,
        asyncpg.CharacterNotInRepertoireError: _unstorable_text,
        Exception: _unexpected,
    }
