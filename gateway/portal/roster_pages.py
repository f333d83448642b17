"""单位信息 (manual 5.5–5.7): the signed-in unit's 技术人员信息, 技术装备信息 and 测绘业绩信息.

Each page is a shell: what it lists, the fields of its 添加/编辑 dialog and the 材料类型 it
attaches are described here (``RosterPage``) and rendered by ``_roster.html``;
``static/js/roster.js`` brings it to life against the staffing service through
``/api/staffing/…`` (and the upload component through ``/api/documents``). The service decides
what is accepted; the page shows its words next to the field they name.

The choices of a select come from the contract's vocabularies (``contracts.staffing.api``), or,
for 设备类型 and 专业类别, from the standard in force (``/api/standards/standards``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.response import Redirect

from contracts.staffing.api import Education, Gender, IdType, PersonCategory, TitleLevel
from gateway.sessions import Session
from gateway.settings import GatewaySettings

from . import PAGE_HEADERS, page

__all__ = ["EQUIPMENT", "PAGES", "PERSONS", "PROJECTS", "Column", "FormField", "RosterPage", "RosterPagesController"]

FieldKind = Literal["text", "select", "date", "bool", "decimal"]


@dataclass(frozen=True, slots=True)
class FormField:
    """One field of the 添加/编辑 form: ``name`` is the request's field (``PersonCreate`` …)."""

    name: str
    label: str
    kind: FieldKind = "text"
    required: bool = False
    options: tuple[str, ...] = ()
    vocabulary: str = ""
    """``equipment_types`` or ``categories``: the options come from the standard in force."""
    default: str = ""
    hint: str = ""
    maxlength: int | None = None
    wide: bool = False


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the list: the response's field and how it is shown (``bool``: 是/否)."""

    key: str
    label: str
    format: Literal["text", "bool", "date", "amount"] = "text"


@dataclass(frozen=True, slots=True)
class RosterPage:
    """What one 单位信息 page lists and edits."""

    kind: str
    title: str
    noun: str
    """What one entry is called in messages: 人员, 技术装备, 项目."""
    measure: str
    """How the counted entries are counted: 人, 台（套）, 个."""
    counted_label: str
    remove_label: str
    lead: str
    columns: tuple[Column, ...]
    fields: tuple[FormField, ...]
    purposes: tuple[str, ...]
    """The 材料类型 an entry attaches (the upload component offers only these)."""
    fulfilment: str = ""
    legacy: bool = False

    @property
    def api(self) -> str:
        return f"/api/staffing/{self.kind}"

    @property
    def path(self) -> str:
        return f"/roster/{self.kind}"


def _choices(literal: Any) -> tuple[str, ...]:
    return tuple(str(value) for value in get_args(literal))


PERSONS = RosterPage(
    kind="persons",
    title="技术人员信息",
    noun="人员",
    measure="人",
    counted_label="计入人数",
    remove_label="移除",
    lead="添加本单位的技术人员并上传相关材料。以其它颜色显示的人员信息不完整或不符合要求，不计入单位的专业技术人员。",
    columns=(
        Column("name", "姓名"),
        Column("id_number_masked", "证件号码"),
        Column("category", "人员类别"),
        Column("title_level", "职称等级"),
        Column("title_name", "职称名称"),
        Column("major", "专业"),
        Column("retired", "退休", "bool"),
    ),
    fields=(
        FormField("name", "姓名", required=True, maxlength=50),
        FormField("id_type", "证件类型", "select", True, _choices(IdType), default="居民身份证"),
        FormField("id_number", "证件号码", required=True, maxlength=32, hint="居民身份证请填写18位号码"),
        FormField("category", "人员类别", "select", True, _choices(PersonCategory)),
        FormField("gender", "性别", "select", options=_choices(Gender), hint="18位证件号码可自动识别，可不填"),
        FormField("birth_date", "出生日期", "date", hint="18位证件号码可自动识别，可不填"),
        FormField("title_level", "职称等级", "select", options=_choices(TitleLevel), hint="测绘专业技术人员必填"),
        FormField("title_name", "职称名称", maxlength=100),
        FormField("major", "专业", maxlength=100),
        FormField("education", "学历", "select", options=_choices(Education)),
        FormField("school", "毕业院校", maxlength=100),
        FormField("hired_on", "入职日期", "date"),
        FormField("retired", "是否退休", "bool", hint="退休人员需上传退休材料和劳务合同"),
        FormField(
            "substitute_reason",
            "替代理由",
            maxlength=200,
            wide=True,
            hint="无相应证书、以“其它”材料替代时填写（其它材料替代）",
        ),
    ),
    purposes=("职称证书", "学历证书", "退休材料", "劳务合同", "社保缴纳证明", "身份证", "其它"),
    fulfilment="专业技术人员满足情况查看",
    legacy=True,
)

EQUIPMENT = RosterPage(
    kind="equipment",
    title="技术装备信息",
    noun="技术装备",
    measure="台（套）",
    counted_label="计入数量",
    remove_label="删除",
    lead="添加本单位的技术装备并上传检定/校准证书和购置发票。信息不完整或检定/校准已过期的装备以其它颜色显示，不计入。",
    columns=(
        Column("type", "设备类型"),
        Column("brand", "品牌"),
        Column("model", "型号"),
        Column("serial", "出厂编号"),
        Column("purchased_on", "购置日期", "date"),
        Column("calibration_valid_until", "检定/校准有效期至", "date"),
    ),
    fields=(
        FormField("type", "设备类型", "select", True, vocabulary="equipment_types"),
        FormField("brand", "品牌", required=True, maxlength=100),
        FormField("model", "型号", required=True, maxlength=100),
        FormField("serial", "出厂编号", required=True, maxlength=64),
        FormField("purchased_on", "购置日期", "date", True),
        FormField("calibration_valid_until", "检定/校准有效期至", "date", hint="软件类装备无需检定/校准"),
    ),
    purposes=("检定证书", "购置发票", "其它"),
    fulfilment="技术装备满足情况查看",
)

PROJECTS = RosterPage(
    kind="projects",
    title="测绘业绩信息",
    noun="项目",
    measure="个",
    counted_label="计入项目数",
    remove_label="删除",
    lead="拟申请某一专业范围从乙级晋升为甲级时，请按政策要求填报该专业范围的测绘项目，并上传项目合同和验收证明。",
    columns=(
        Column("name", "项目名称"),
        Column("category", "专业类别"),
        Column("amount_wan", "合同金额（万元）", "amount"),
        Column("client", "委托单位"),
        Column("signed_on", "合同签订日期", "date"),
        Column("completed_on", "完成/验收日期", "date"),
    ),
    fields=(
        FormField("name", "项目名称", required=True, maxlength=200, wide=True),
        FormField("category", "专业类别", "select", True, vocabulary="categories"),
        FormField("amount_wan", "合同金额（万元）", "decimal", True, hint="大于0，最多保留两位小数"),
        FormField("client", "委托单位", required=True, maxlength=200, wide=True),
        FormField("signed_on", "合同签订日期", "date", True),
        FormField("completed_on", "完成/验收日期", "date", True, hint="不早于合同签订日期，不晚于今天"),
    ),
    purposes=("项目合同", "验收证明", "其它"),
)

PAGES = {spec.kind: spec for spec in (PERSONS, EQUIPMENT, PROJECTS)}


class RosterPagesController(Controller):
    """/roster/persons, /roster/equipment, /roster/projects: 单位信息 of a signed-in unit."""

    response_headers = PAGE_HEADERS

    @get("/roster/persons")
    async def persons(self, request: Request[Any, Any, Any], session: NamedDependency[Session | None]) -> Response[Any]:
        return _roster_page(request, session, PERSONS)

    @get("/roster/equipment")
    async def equipment(
        self, request: Request[Any, Any, Any], session: NamedDependency[Session | None]
    ) -> Response[Any]:
        return _roster_page(request, session, EQUIPMENT)

    @get("/roster/projects")
    async def projects(
        self, request: Request[Any, Any, Any], session: NamedDependency[Session | None]
    ) -> Response[Any]:
        return _roster_page(request, session, PROJECTS)


def _roster_page(request: Request[Any, Any, Any], session: Session | None, spec: RosterPage) -> Response[Any]:
    """The page for a unit's user; anyone else is sent to 登录 (the roster is a unit's own)."""
    if session is None or session.role != "unit" or not session.unit_id:
        return Redirect("/login")
    settings: GatewaySettings = request.app.state.settings
    template = f"roster_{spec.kind}.html"
    return page(request, template, session=session, spec=spec, upload_max_bytes=settings.upload_max_bytes)
