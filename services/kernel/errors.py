"""The error tree every service raises and the one error body every 4xx/5xx carries.

    DomainError (400, code given by the leaf)
     ├── InvalidInputError        400  invalid_input
     ├── UnauthorizedError        401  unauthorized
     ├── ForbiddenError           403  forbidden
     ├── NotFoundError            404  not_found
     ├── ConflictError            409  conflict
     ├── TooManyRequestsError     429  too_many_requests
     └── UpstreamError            502/504  upstream_unavailable / upstream_timeout

Anything else raised by a handler becomes 500 ``internal`` with a generic Chinese message; the
exception is logged with the trace id, never echoed to the caller.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import asyncpg
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException

from contracts.errors import ErrorBody, FieldProblem

__all__ = [
    "ConflictError",
    "DomainError",
    "ForbiddenError",
    "InvalidInputError",
    "NotFoundError",
    "TooManyRequestsError",
    "UnauthorizedError",
    "UpstreamError",
    "error_response",
    "exception_handlers",
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
    status_code = 502
    code = "upstream_unavailable"


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
    if exc.status_code >= 500:
        logger.error("http exception %s: %s", exc.status_code, exc.detail)
        code, message = "internal", INTERNAL_MESSAGE
    return error_response(ErrorBody(code=code, message=message, details=None), exc.status_code, exc.headers)


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


def _unexpected(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
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
