"""Controllers: list and publish the standard's versions, and evaluate a unit's facts (资质标准核验)."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from contracts.standards.api import EvaluateRequest, Evaluation, StandardDetail, StandardVersions
from services.kernel.openapi import refusals
from services.standards.catalog import Catalog
from services.standards.errors import InvalidRequestError, NoStandardInForceError, UnknownVersionError
from services.standards.evaluation import evaluate

__all__ = ["ROUTES", "EvaluationController", "StandardController"]


class StandardController(Controller):
    """The published 测绘资质分类分级标准: versions, categories, levels, figures and grades."""

    path = "/standards"
    tags = ("standards",)

    @get("/", operation_id="ListStandards", sync_to_thread=False)
    def list_standards(self, catalog: NamedDependency[Catalog]) -> StandardVersions:
        return catalog.versions()

    @get(
        "/{version:str}",
        operation_id="GetStandard",
        sync_to_thread=False,
        responses=refusals(UnknownVersionError),
    )
    def get_standard(self, version: FromPath[str], catalog: NamedDependency[Catalog]) -> StandardDetail:
        return catalog.detail(version)


class EvaluationController(Controller):
    """资质标准核验: one verdict per requested category, every requirement explained."""

    path = "/evaluate"
    tags = ("standards",)

    @post(
        "/",
        operation_id="Evaluate",
        status_code=200,
        sync_to_thread=False,
        responses=refusals(InvalidRequestError, NoStandardInForceError, UnknownVersionError),
    )
    def evaluate(self, data: JSONBody[EvaluateRequest], catalog: NamedDependency[Catalog]) -> Evaluation:
        return evaluate(catalog, data)


ROUTES = [StandardController, EvaluationController]
