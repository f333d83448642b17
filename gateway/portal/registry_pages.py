"""证书登记 pages (issue 11; manual 4.3): a unit's 我的资质证书, the public 证书查验 and the
authority's 资质证书登记 with each certificate's detail.

Each page is a shell rendered here and brought to life by its script against the registry's API
through ``/api/registry/…`` (``contracts.registry.api``): ``certificates.js`` (我的资质证书),
``verify.js`` (证书查验, anyone, also the QR code's target ``/verify?number=…``) and
``register.js`` (the register and its detail). The service decides who may read what; the pages
only keep visitors away from what their role never sees:

* ``/certificates`` — a unit's user; anyone else signed in goes to 测绘资质办理 (``/``);
* ``/verify`` — anyone, signed in or not;
* ``/registry`` and ``/registry/{number}`` — an authority's user or the administrator (``/register``
  is 注册).

A visitor without a session who asks for a signed-in page is sent to 登录.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, get_args

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect

from contracts.auth import Role
from contracts.registry.api import CertificateStatus
from contracts.types import CertificateType
from gateway.sessions import Session
from gateway.settings import GatewaySettings

from . import PAGE_HEADERS, page

__all__ = [
    "CERTIFICATE_TYPES",
    "FILTERS",
    "NUMBER_MAX_LENGTH",
    "STATUSES",
    "RegisterFilterField",
    "RegistryPagesController",
]

API = "/api/registry"
NUMBER_MAX_LENGTH = 20
"""The longest 证书编号 the register accepts as a filter (``甲测资字`` + 2 + 6 is 12)."""
CERTIFICATE_TYPES: tuple[str, ...] = tuple(get_args(CertificateType))
STATUSES: tuple[str, ...] = tuple(get_args(CertificateStatus))


@dataclass(frozen=True, slots=True)
class RegisterFilterField:
    """One filter of the register's search: ``name`` is the registry's query parameter."""

    name: str
    label: str
    kind: str = "text"
    """``text``, ``select``, ``date`` or ``category`` (typed, with the standard's 专业类别 offered)."""
    options: tuple[str, ...] = ()
    maxlength: int | None = None


FILTERS: tuple[RegisterFilterField, ...] = (
    RegisterFilterField("number", "证书编号", maxlength=NUMBER_MAX_LENGTH),
    RegisterFilterField("unit_name", "单位名称", maxlength=100),
    RegisterFilterField("credit_code", "统一社会信用代码", maxlength=18),
    RegisterFilterField("certificate_type", "证书类型", "select", CERTIFICATE_TYPES),
    RegisterFilterField("category", "专业类别", "category", maxlength=30),
    RegisterFilterField("status", "状态", "select", STATUSES),
    RegisterFilterField("expires_after", "有效期至（起）", "date"),
    RegisterFilterField("expires_before", "有效期至（止）", "date"),
)
"""The register's filters, in the order of ``GET /register`` (contracts.registry.api)."""

UNIT: frozenset[Role] = frozenset({"unit"})
AUTHORITY: frozenset[Role] = frozenset({"authority", "admin"})
"""Who reads the register: the registry's ``authority_scope`` (主管部门, and 系统管理)."""
NumberQuery = Annotated[str | None, QueryParameter(required=False)]


class RegistryPagesController(Controller):
    """/certificates, /verify, /registry, /registry/{number}."""

    response_headers = PAGE_HEADERS

    @get("/certificates")
    async def mine(self, request: Request[Any, Any, Any], session: NamedDependency[Session | None]) -> Response[Any]:
        return _for_role(request, session, UNIT, "certificates_mine.html", api=API)

    @get("/verify")
    async def verify(
        self, request: Request[Any, Any, Any], session: NamedDependency[Session | None], number: NumberQuery = None
    ) -> Response[Any]:
        settings: GatewaySettings = request.app.state.settings
        shown = (number or "").strip()[:NUMBER_MAX_LENGTH]
        return page(request, "verify.html", session=session, api=API, number=shown, max_bytes=settings.upload_max_bytes)

    @get("/registry")
    async def register(
        self, request: Request[Any, Any, Any], session: NamedDependency[Session | None]
    ) -> Response[Any]:
        return _for_role(request, session, AUTHORITY, "register_list.html", api=API, filters=FILTERS)

    @get("/registry/{number:str}")
    async def detail(
        self, request: Request[Any, Any, Any], session: NamedDependency[Session | None], number: FromPath[str]
    ) -> Response[Any]:
        return _for_role(request, session, AUTHORITY, "register_detail.html", api=API, number=number)


def _for_role(
    request: Request[Any, Any, Any], session: Session | None, roles: frozenset[Role], template: str, **context: Any
) -> Response[Any]:
    """The page for a user of one of ``roles``; 登录 without a session, the home page for another role."""
    if session is None:
        return Redirect("/login")
    if session.role not in roles or (session.role == "unit" and not session.unit_id):
        return Redirect("/")
    return page(request, template, session=session, **context)
