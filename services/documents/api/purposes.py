"""PurposesController: GET /purposes, the 20 材料类型 in the portal's order with their labels."""

from __future__ import annotations

from litestar import Controller, get

from contracts.documents import api

from .. import handlers


class PurposesController(Controller):
    path = "/purposes"
    tags = ("documents",)

    @get("/", operation_id="ListPurposes", sync_to_thread=False)
    def list_purposes(self) -> api.Purposes:
        return handlers.purposes()
